#include "core/user_input/mapped_text.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "core/user_input/json_input.h"

namespace thrift_call {

namespace {
// RapidJSON's SSE2 scan reads whole 16-byte blocks up to the NUL after the text.
constexpr size_t kPadding = 16;

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}
}  // namespace

MappedText MappedText::from_text(std::string text) {
  MappedText out;
  out.owned_ = std::move(text);
  size_t size = out.owned_.size();
  out.owned_.append(kPadding, '\0');
  out.text_ = std::string_view(out.owned_.data(), size);
  return out;
}

MappedText MappedText::from_argument(const std::string& argument) {
  if (argument == "-") return from_file("-");
  if (!argument.empty() && argument[0] == '@') return from_file(argument.substr(1));
  return from_text(argument);
}

MappedText MappedText::from_file(const std::string& path) {
  if (path == "-") return from_text(read_input_bytes("-"));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::Usage, "cannot open \"" + path + "\": " + std::strerror(errno));
  struct stat st {};
  // A pipe, a device, /dev/stdin: read as a stream.
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    ::close(fd);
    return from_text(read_input_bytes(path));
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size > kMaxWholeInput) {
    ::close(fd);
    throw Error(ErrorKind::Input,
                "more than " + std::to_string(kMaxWholeInput >> 20) +
                    " MiB: this input is read whole (a pcap capture is streamed instead)",
                path);
  }
  // Room for the file's pages and one more of zeros: the NUL and padding
  // after the text, also when the file ends at a page's end.
  size_t pages = (size + page_size() - 1) / page_size() * page_size();
  size_t reserved = pages + page_size();
  void* base = ::mmap(nullptr, reserved, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED || ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    int error = errno;
    if (base != MAP_FAILED) ::munmap(base, reserved);
    ::close(fd);
    throw Error(ErrorKind::Usage, "cannot map \"" + path + "\": " + std::strerror(error));
  }
  ::close(fd);
  ::madvise(base, pages, MADV_SEQUENTIAL);
  MappedText out;
  out.map_ = base;
  out.map_size_ = reserved;
  out.text_ = std::string_view(static_cast<const char*>(base), size);
  return out;
}

MappedText::MappedText(MappedText&& other) noexcept
    : owned_(std::move(other.owned_)), map_(other.map_), map_size_(other.map_size_), text_(other.text_) {
  if (!map_) text_ = std::string_view(owned_.data(), text_.size());
  other.map_ = nullptr;
  other.text_ = {};
}

MappedText::~MappedText() {
  if (map_) ::munmap(map_, map_size_);
}

codec::PaddedJson MappedText::padded() const {
  codec::PaddedJson out{text_, {}};
  if (map_) out.release_before = [this](size_t offset) { release_before(offset); };
  return out;
}

void MappedText::release_before(size_t offset) const {
  if (!map_) return;
  size_t pages = offset / page_size() * page_size();
  if (pages > 0) ::madvise(map_, pages, MADV_DONTNEED);
}

}  // namespace thrift_call
