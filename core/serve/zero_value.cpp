#include "core/serve/zero_value.h"

#include <vector>

#include "core/idl_views/const_json.h"
#include "core/idl_views/placeholder.h"

namespace thrift_call::serve {

using codec::Json;
using namespace idl;

namespace {

// Only structs nest in a zero value (containers are empty), and they are
// expanded breadth first against a budget of values, so that a type graph
// that doubles at every level (struct S_i {1: S_i+1 a, 2: S_i+1 b}) costs
// the budget, not 2^levels. Whether the struct fields of a struct are set
// is decided when it is expanded, for all of them at once, so that no struct
// is left half filled.
class ZeroMaker {
 public:
  Json of_type(const Type& type) {
    Json root;
    fill(root, type);
    run();
    return root;
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  struct Node {
    Json* slot;  // its object, in a struct whose fields are all placed
    const StructDef* def;
    size_t parent;
    int depth;     // nesting, as the encoder counts it
    bool expand;   // false: a required field past the limits, left as {}
  };

  void run() {
    for (size_t i = 0; i < pending_.size(); ++i) expand(i);
  }

  bool contains_itself(const StructDef& s, size_t parent) const {
    for (size_t up = parent; up != kNone; up = pending_[up].parent)
      if (pending_[up].def == &s) return true;
    return false;
  }

  void expand(size_t index) {
    Node node = pending_[index];  // a copy: expanding adds nodes
    const StructDef& s = *node.def;
    if (!node.expand) return;
    reserved_ -= s.fields.size();
    // A struct met again inside itself is {}.
    if (contains_itself(s, node.parent)) return;
    Json& out = *node.slot;
    std::vector<const Field*> wanted;
    for (const Field* f : s.fields_in_id_order()) {
      if (f->default_value || s.kind == StructKind::Union || f->requiredness != Requiredness::Optional)
        wanted.push_back(f);
      if (s.kind == StructKind::Union && !wanted.empty()) break;  // a union sets exactly one field
    }
    // The structs these fields hold are expanded all or none (their fields
    // reserved in the budget now, so that later structs see them): past the
    // limits those that are not required are left unset, as optional ones
    // are, and required ones are {}.
    auto holds_struct = [](const Field* f) {
      return !f->default_value && f->type->true_type()->kind == TypeKind::Struct;
    };
    size_t their_fields = 0;
    for (const Field* f : wanted)
      if (holds_struct(f)) their_fields += f->type->true_type()->struct_def->fields.size();
    bool expand_structs = node.depth + 1 <= kMaxZeroDepth && values_ + reserved_ + their_fields <= kZeroValues;
    if (expand_structs) reserved_ += their_fields;
    std::vector<const Field*> set;
    for (const Field* f : wanted)
      if (expand_structs || !holds_struct(f) || f->requiredness == Requiredness::Required) set.push_back(f);
    // Every key first, then the values: the object no longer grows while
    // the places of the structs in it are kept.
    for (const Field* f : set) out[f->name] = nullptr;
    for (const Field* f : set) {
      Json& slot = out.find(f->name).value();
      const Type* t = f->type->true_type();
      if (f->default_value) {
        slot = const_to_json(*f->default_value, *f->type);
        values_ += count_values(slot);
      } else if (t->kind == TypeKind::Struct) {
        ++values_;
        slot = Json::object();
        pending_.push_back({&slot, t->struct_def, index, node.depth + 1, expand_structs});
      } else {
        fill(slot, *t);
      }
    }
  }

  // Whether a struct `depth` levels deep is expanded: within the encoder's
  // depth, and its fields within the budget.
  bool within_limits(const StructDef& s, int depth) const {
    return depth <= kMaxZeroDepth && values_ + reserved_ + s.fields.size() <= kZeroValues;
  }

  // A value that is not a struct field's struct (those are queued).
  void fill(Json& slot, const Type& declared) {
    ++values_;
    const Type* t = declared.true_type();
    switch (t->kind) {
      case TypeKind::List:
      case TypeKind::Set: slot = Json::array(); return;
      case TypeKind::Map: slot = map_keys_are_object_keys(*t->key) ? Json::object() : Json::array(); return;
      case TypeKind::Struct: {
        // The value itself (a method's return type): its fields are queued.
        slot = Json::object();
        bool expand = within_limits(*t->struct_def, 1);
        if (expand) reserved_ += t->struct_def->fields.size();
        pending_.push_back({&slot, t->struct_def, kNone, 1, expand});
        return;
      }
      default: slot = scalar_placeholder(*t); return;
    }
  }

  std::vector<Node> pending_;
  size_t values_ = 0;
  size_t reserved_ = 0;
};

}  // namespace

Json zero_value(const Type& type) { return ZeroMaker().of_type(type); }

bool same_type(const Type& declared_a, const Type& declared_b) {
  const Type* a = declared_a.true_type();
  const Type* b = declared_b.true_type();
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::Struct: return a->struct_def == b->struct_def;
    case TypeKind::Enum: return a->enum_def == b->enum_def;
    case TypeKind::List:
    case TypeKind::Set: return same_type(*a->elem, *b->elem);
    case TypeKind::Map: return same_type(*a->key, *b->key) && same_type(*a->value, *b->value);
    default: return true;
  }
}

}  // namespace thrift_call::serve
