// Checked inputs, atomic outputs and flushed append logs (gistscope/file_io.h).
#include "gistscope/file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "gistscope/error.h"

namespace gistscope {
namespace {

// stat() with the reason in words; false when the path cannot be reached at all.
bool stat_path(const std::filesystem::path& path, struct stat& st, std::string& why) {
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ELOOP) why = "too many levels of symbolic links (a symlink loop)";
    else if (errno == ENOENT) why = "no such file or folder";
    else why = std::strerror(errno);
    return false;
}

const char* kind_of(const struct stat& st) {
    if (S_ISDIR(st.st_mode)) return "a folder";
    if (S_ISREG(st.st_mode)) return "a file";
    if (S_ISFIFO(st.st_mode)) return "a pipe";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    return "not a regular file";
}

}  // namespace

void require_input_file(const std::filesystem::path& path, const std::string& expected) {
    struct stat st {};
    std::string why;
    if (!stat_path(path, st, why)) throw Error(path.string() + ": " + why + ", expected " + expected);
    if (!S_ISREG(st.st_mode)) throw Error(path.string() + ": is " + kind_of(st) + ", expected " + expected);
}

void require_input_dir(const std::filesystem::path& path, const std::string& expected) {
    struct stat st {};
    std::string why;
    if (!stat_path(path, st, why)) throw Error(path.string() + ": " + why + ", expected " + expected);
    if (!S_ISDIR(st.st_mode)) throw Error(path.string() + ": is " + kind_of(st) + ", expected " + expected);
}

bool path_exists(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string read_input_file(const std::filesystem::path& path, const std::string& expected) {
    require_input_file(path, expected);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open (" + std::strerror(errno) + "), expected " + expected);
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(path.string() + ": read error");
    return ss.str();
}

size_t first_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        size_t need = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (no overlongs, no surrogates)
        if (c < 0x80) { ++i; continue; }
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
        else return i;
        if (i + need >= n) return i;  // cut off at the end
        for (size_t k = 1; k <= need; ++k) {
            const unsigned char cc = s[i + k];
            if (cc < (k == 1 ? lo : 0x80) || cc > (k == 1 ? hi : 0xBF)) return i;
        }
        i += need + 1;
    }
    return std::string_view::npos;
}

std::string read_text_input(const std::filesystem::path& path, const std::string& expected) {
    std::string text = read_input_file(path, expected);
    const size_t bad = first_invalid_utf8(text);
    if (bad != std::string_view::npos)
        throw Error(path.string() + ": not valid UTF-8 at byte " + std::to_string(bad) + ", expected " + expected +
                    " in UTF-8");
    return text;
}

void require_output_path(const std::filesystem::path& path) {
    if (path.empty()) throw Error("an output path is empty, expected a file name");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(path.string() + ": is a folder, expected a file name to write");
    const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string why;
    if (!stat_path(parent, st, why)) throw Error(path.string() + ": its folder " + parent.string() + ": " + why);
    if (!S_ISDIR(st.st_mode)) throw Error(path.string() + ": " + parent.string() + " is not a folder");
}

AtomicFile::AtomicFile(const std::filesystem::path& path, bool binary) : path_(path), tmp_(path.string() + ".tmp") {
    require_output_path(path);
    out_.open(tmp_, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
    if (!out_) throw Error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
}

AtomicFile::~AtomicFile() {
    if (committed_) return;
    out_.close();
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);
}

void AtomicFile::commit() {
    out_.flush();
    if (!out_) throw Error(path_.string() + ": write failed (disk full?)");
    out_.close();
    if (!out_) throw Error(path_.string() + ": write failed (disk full?)");
    std::error_code ec;
    std::filesystem::rename(tmp_, path_, ec);
    if (ec) throw Error(path_.string() + ": cannot move the finished file into place: " + ec.message());
    committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& data) {
    AtomicFile f(path);
    f.stream() << data;
    f.commit();
}

LineLog::LineLog(const std::filesystem::path& path, const std::string& first_line) : path_(path) {
    require_output_path(path);
    const std::filesystem::path tmp = path.string() + ".tmp";
    out_.open(tmp, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
    out_ << first_line << '\n';
    out_.flush();
    std::error_code ec;
    if (out_) std::filesystem::rename(tmp, path, ec);  // the open stream keeps writing to the renamed file
    if (!out_ || ec) {
        out_.close();
        std::filesystem::remove(tmp, ec);
        throw Error(path.string() + ": cannot write the first line (" + (ec ? ec.message() : "disk full?") + ")");
    }
}

void LineLog::append(const std::string& line) {
    // The line and its newline go out in one write: a stream writes a long line past its buffer
    // and the newline separately, and a kill between the two would leave a complete-looking line
    // without its end, which a reader cannot tell from a finished one.
    std::string record;
    record.reserve(line.size() + 1);
    record.append(line).push_back('\n');
    out_.write(record.data(), std::streamsize(record.size()));
    out_.flush();
    if (!out_) throw Error(path_.string() + ": write failed (disk full?)");
}

void LineLog::close() {
    if (!out_.is_open()) return;
    out_.flush();
    const bool ok = bool(out_);
    out_.close();
    if (!ok || !out_) throw Error(path_.string() + ": write failed (disk full?)");
}

}  // namespace gistscope
