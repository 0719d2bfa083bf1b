#include "idl/closest_names.h"

#include <algorithm>
#include <cctype>

namespace thrift_call::idl {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance: a swap of two neighbours ("nmae") is
// one edit, as people mistype.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

size_t tolerated_distance(std::string_view word) {
  if (word.size() <= 4) return 1;
  if (word.size() <= 8) return 2;
  return 3;
}

}  // namespace

std::vector<std::string> closest_names(const std::vector<std::string>& candidates, std::string_view word) {
  std::vector<std::string> closest;
  size_t best = tolerated_distance(word) + 1;
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length: a word much longer
    // than every name (a 100 MB JSON key) costs nothing to turn down.
    size_t longer = std::max(candidate.size(), word.size()), shorter = std::min(candidate.size(), word.size());
    if (longer - shorter > best) continue;
    size_t d = edit_distance(candidate, word);
    if (d > best) continue;
    if (d < best) closest.clear();
    best = d;
    if (std::find(closest.begin(), closest.end(), candidate) == closest.end()) closest.push_back(candidate);
  }
  return closest;
}

std::string did_you_mean(const std::vector<std::string>& candidates, std::string_view word) {
  return did_you_mean(closest_names(candidates, word));
}

std::string did_you_mean(const std::vector<std::string>& closest) {
  if (closest.empty()) return {};
  std::string text = " (did you mean ";
  for (size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) text += i + 1 == closest.size() ? " or " : ", ";
    text += "\"" + closest[i] + "\"";
  }
  return text + "?)";
}

std::string did_you_mean_or_list(const std::vector<std::string>& candidates, std::string_view word,
                                 std::string_view what) {
  std::string text = did_you_mean(candidates, word);
  if (!text.empty() || candidates.empty()) return text;
  for (const std::string& name : candidates) text += (text.empty() ? "" : ", ") + name;
  return " (" + std::string(what) + ": " + text + ")";
}

}  // namespace thrift_call::idl
