#include "core/idl_views/value_maker.h"

#include <string>
#include <vector>

#include "core/idl_views/const_json.h"
#include "core/idl_views/placeholder.h"

namespace thrift_call {

using nlohmann::ordered_json;
using namespace idl;

namespace {

// Structs are expanded breadth first from a queue: a struct's object is
// placed, empty, in its parent (complete by then, so the place stays put)
// and filled when its turn comes. The nearest levels go before deeper
// ones, so that a value cut by the budget is cut at a depth where every
// branch stops, and the work is bounded by the budget too.
class ValueMaker {
 public:
  explicit ValueMaker(ValueShape shape) : template_(shape == ValueShape::Template) {}

  ordered_json of_fields(const StructDef& s) {
    ordered_json root = ordered_json::object();
    queue_struct(root, s, kNone, 1);
    run();
    return root;
  }

  ordered_json of_type(const Type& type) {
    ordered_json root;
    fill(root, type, kNone, 0);
    run();
    return root;
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // A struct to expand: where its object stands, its enclosing struct's
  // node, its nesting as the encoder counts it, and (Zero) whether it is
  // within the limits.
  struct Node {
    ordered_json* slot;
    const StructDef* def;
    size_t parent;
    int depth;
    bool expand;
  };

  void run() {
    size_t generation_end = 0;
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (template_ && i == generation_end) {
        // A template's generation (the structs that the structs of the one
        // before hold, all queued by now) is expanded whole or not at all.
        generation_end = pending_.size();
        size_t fields = 0;
        for (size_t j = i; j < generation_end; ++j)
          fields += pending_[j].def->kind == StructKind::Union ? 1 : pending_[j].def->fields.size();
        out_of_budget_ = out_of_budget_ || values_ + fields > kMaxMadeValues;
      }
      expand(i);
    }
  }

  bool contains_itself(const StructDef& s, size_t parent) const {
    for (size_t up = parent; up != kNone; up = pending_[up].parent)
      if (pending_[up].def == &s) return true;
    return false;
  }

  // The fields a struct's value sets, in field-id order: a union exactly one.
  std::vector<const Field*> fields_of(const StructDef& s) const {
    std::vector<const Field*> fields;
    for (const Field* f : s.fields_in_id_order()) {
      if (template_ || f->default_value || s.kind == StructKind::Union || f->requiredness != Requiredness::Optional)
        fields.push_back(f);
      if (s.kind == StructKind::Union && !fields.empty()) break;
    }
    return fields;
  }

  // A field's value is queued here rather than filled: a zero value's struct field.
  bool queued_by_parent(const Field& f) const {
    return !template_ && !f.default_value && f.type->true_type()->kind == TypeKind::Struct;
  }

  void expand(size_t index) {
    Node node = pending_[index];  // a copy: expanding adds nodes
    const StructDef& s = *node.def;
    if (!node.expand) return;
    if (!template_) reserved_ -= s.fields.size();
    if (contains_itself(s, node.parent)) return;
    ordered_json& out = *node.slot;
    if (template_ && node.depth > kMaxMadeDepth) {
      out[kCutKey] = s.name + " not expanded: nested deeper than " + std::to_string(kMaxMadeDepth) + " levels";
      return;
    }
    if (template_ && out_of_budget_) {
      out[kCutKey] = s.name + " not expanded: the template stops at " + std::to_string(kMaxMadeValues) + " values";
      return;
    }
    std::vector<const Field*> fields = fields_of(s);
    // A zero value's struct fields are expanded all or none (their fields
    // reserved in the budget now, so that later structs see them): past
    // the limits those that are not required are left unset, and required
    // ones are {}.
    bool expand_structs = true;
    if (!template_) {
      size_t their_fields = 0;
      for (const Field* f : fields)
        if (queued_by_parent(*f)) their_fields += f->type->true_type()->struct_def->fields.size();
      expand_structs = node.depth + 1 <= kMaxMadeDepth && values_ + reserved_ + their_fields <= kMaxMadeValues;
      if (expand_structs) reserved_ += their_fields;
      std::erase_if(fields, [&](const Field* f) {
        return !expand_structs && queued_by_parent(*f) && f->requiredness != Requiredness::Required;
      });
    }
    // Every key first, then the values: the object no longer grows while
    // the places of the structs in it are kept.
    for (const Field* f : fields) out[f->name] = nullptr;
    for (const Field* f : fields) {
      ordered_json& slot = out.find(f->name).value();
      if (f->default_value) {
        slot = const_to_json(*f->default_value, *f->type);
        values_ += count_values(slot);
      } else if (queued_by_parent(*f)) {
        ++values_;
        slot = ordered_json::object();
        pending_.push_back({&slot, f->type->true_type()->struct_def, index, node.depth + 1, expand_structs});
      } else {
        fill(slot, *f->type, index, node.depth);
      }
    }
  }

  // A struct's object at `slot`, queued. A template's is decided when its
  // generation starts; a zero value's here (only its top struct comes this way).
  void queue_struct(ordered_json& slot, const StructDef& s, size_t parent, int depth) {
    bool expand = true;
    if (!template_) {
      expand = depth <= kMaxMadeDepth && values_ + reserved_ + s.fields.size() <= kMaxMadeValues;
      if (expand) reserved_ += s.fields.size();
    }
    pending_.push_back({&slot, &s, parent, depth, expand});
  }

  // Places a value of `declared` at `slot`, in a struct (node `parent`)
  // nested `depth` levels deep.
  void fill(ordered_json& slot, const Type& declared, size_t parent, int depth) {
    ++values_;
    const Type* t = declared.true_type();
    switch (t->kind) {
      case TypeKind::List:
      case TypeKind::Set:
        slot = ordered_json::array();
        // A template's one example element, unless that is past the limits.
        if (room_for_element(depth)) fill(slot.emplace_back(), *t->elem, parent, depth + 1);
        return;
      case TypeKind::Map: {
        bool object_keys = map_keys_are_object_keys(*t->key);
        slot = object_keys ? ordered_json::object() : ordered_json::array();
        if (!room_for_element(depth)) return;
        if (object_keys) {
          ordered_json key;
          fill(key, *t->key, parent, depth + 1);
          fill(slot[key.is_string() ? key.get<std::string>() : key.dump()], *t->value, parent, depth + 1);
        } else {
          ordered_json& pair = slot.emplace_back(ordered_json::array({nullptr, nullptr}));
          fill(pair[0], *t->key, parent, depth + 1);
          fill(pair[1], *t->value, parent, depth + 1);
        }
        return;
      }
      case TypeKind::Struct:
        slot = ordered_json::object();
        queue_struct(slot, *t->struct_def, parent, depth + 1);
        return;
      default:
        slot = scalar_placeholder(*t);
        return;
    }
  }

  // Whether a container `depth` levels deep gets its example element (a
  // template's only): containers nest without a struct in between
  // (typedef map<T, T> U, ...), and may branch, so they are held to the
  // limits too.
  bool room_for_element(int depth) const { return template_ && depth + 1 <= kMaxMadeDepth && values_ < kMaxMadeValues; }

  const bool template_;
  std::vector<Node> pending_;
  size_t values_ = 0;
  size_t reserved_ = 0;         // Zero: fields of structs queued to expand, not placed yet
  bool out_of_budget_ = false;  // Template: the generations from now on are cut
};

}  // namespace

ordered_json make_value(const Type& type, ValueShape shape) { return ValueMaker(shape).of_type(type); }
ordered_json make_fields(const StructDef& s, ValueShape shape) { return ValueMaker(shape).of_fields(s); }

}  // namespace thrift_call
