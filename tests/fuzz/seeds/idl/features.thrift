/** A file that uses most of the grammar. */
namespace cpp fuzz.features
namespace * fuzz
cpp_include "<vector>"

typedef i64 Id
typedef list<map<string, set<Id>>> Nested (cpp.type = "Nested")
const i32 ANSWER = 0x2a
const double RATIO = -1.5e-3
const list<string> NAMES = ["a", 'b\n', "\u00e9"]
const map<string, Color> COLORS = {"red": Color.RED, "blue": 3}
const Point ORIGIN = {"x": 0, "y": ANSWER}

enum Color { RED = 1, GREEN, BLUE = 3 }
senum Legacy { "x", "y" }

struct Point {
  1: required i32 x = 0,
  2: optional i32 y;
  -3: i8 i8 (annotation = "v")
  4: uuid id
  5: binary blob = "AA=="
  6: Point & next
}

union Shape { 1: Point point; 2: list<Point> path }

exception Oops { 1: string message, 2: Color color = Color.RED }

service Base { oneway void ping() }

service Drawing extends Base {
  /** Draws. */
  Shape draw(1: Shape shape, 2: map<Color, Nested> style) throws (1: Oops oops),
  void clear() (deprecated),
}
