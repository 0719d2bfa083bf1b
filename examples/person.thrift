/**
 * The service in thrift-call's README: look people up and save them.
 */
namespace py example.person

struct Person {
  1: required string name,
  2: required i32 age,
}

exception PersonNotFound {
  1: string name,
}

service PersonService {
  /** Returns the person with this name. */
  Person getPerson(1: string name) throws (1: PersonNotFound notFound),
  /** Stores a person, replacing one of the same name. */
  void savePerson(1: Person person),
}
