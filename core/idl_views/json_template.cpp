#include "core/idl_views/json_template.h"

#include <vector>

#include "core/idl_views/const_json.h"
#include "core/idl_views/placeholder.h"

namespace thrift_call {

using nlohmann::ordered_json;
using namespace idl;

namespace {

// Structs are expanded breadth first, the nearest levels before deeper
// ones, so that a template cut at kTemplateValues is cut evenly, at a depth
// where every branch stops: a type graph that branches (struct S_i {1: S_i+1 a, 2:
// S_i+1 b}) doubles at every level and has 2^40 values at 40 levels. The
// work is bounded by the budget too. Containers and scalars are filled where
// they stand; a struct in one becomes a node of the queue.
class TemplateMaker {
 public:
  ordered_json of_struct(const StructDef& s) {
    ordered_json root = ordered_json::object();
    pending_.push_back({&root, &s, kNone, 1});
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

  // A struct to expand: where its object stands in the template (the
  // object it is in is complete, so the place stays put), its enclosing
  // struct's node, and its nesting as the encoder counts it.
  struct Node {
    ordered_json* slot;
    const StructDef* def;
    size_t parent;
    int depth;
  };

  // A generation (the structs that the structs of the one before hold) is
  // expanded whole or not at all, so a cut template shows every branch to
  // the same depth.
  void run() {
    size_t generation_end = 0;
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (i == generation_end) {
        // Every struct of this generation is queued, none of the next yet.
        generation_end = pending_.size();
        size_t fields = 0;
        for (size_t j = i; j < generation_end; ++j)
          fields += pending_[j].def->kind == StructKind::Union ? 1 : pending_[j].def->fields.size();
        out_of_budget_ = out_of_budget_ || values_ + fields > kTemplateValues;
      }
      expand(i);
    }
  }

  void expand(size_t index) {
    Node node = pending_[index];  // a copy: expanding adds nodes
    ordered_json& out = *node.slot;
    const StructDef& s = *node.def;
    // A struct that contains itself: expanded once, then left as {}.
    for (size_t up = node.parent; up != kNone; up = pending_[up].parent)
      if (pending_[up].def == &s) return;
    if (node.depth > kMaxTemplateDepth) {
      out[kCutKey] = s.name + " not expanded: nested deeper than " + std::to_string(kMaxTemplateDepth) + " levels";
      return;
    }
    std::vector<const Field*> fields;
    for (const Field* f : s.fields_in_id_order()) {
      fields.push_back(f);
      if (s.kind == StructKind::Union) break;  // a union sets exactly one field
    }
    if (out_of_budget_) {
      out[kCutKey] = s.name + " not expanded: the template stops at " + std::to_string(kTemplateValues) + " values";
      return;
    }
    // Every key first, then the values: the object no longer grows while
    // the places of the structs in it are kept.
    for (const Field* f : fields) out[f->name] = nullptr;
    for (const Field* f : fields) {
      ordered_json& slot = out.find(f->name).value();
      if (f->default_value) {
        slot = const_to_json(*f->default_value, *f->type);
        values_ += count_values(slot);
      } else {
        fill(slot, *f->type, index, node.depth);
      }
    }
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
        // One example element, unless that is past the limits.
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
        pending_.push_back({&slot, t->struct_def, parent, depth + 1});
        return;
      default: slot = scalar_placeholder(*t); return;
    }
  }

  // Whether a container `depth` levels deep gets its example element:
  // containers nest without a struct in between (typedef map<T, T> U, ...),
  // and may branch, so they are held to the limits too.
  bool room_for_element(int depth) const { return depth + 1 <= kMaxTemplateDepth && values_ < kTemplateValues; }

  std::vector<Node> pending_;
  size_t values_ = 0;
  bool out_of_budget_ = false;
};

}  // namespace

ordered_json make_template(const StructDef& fields) { return TemplateMaker().of_struct(fields); }
ordered_json make_template(const Type& type) { return TemplateMaker().of_type(type); }

}  // namespace thrift_call
