// gistscope/file_io.h: how every file enters and leaves GistScope. Inputs are checked to be what
// was asked for (a regular file or a folder) with one clear Error; outputs are written to
// FILE.tmp and renamed over FILE, so a reader never sees half a file and a failure leaves no
// temporary behind. Append logs (traces, eval results) appear after their first line and grow
// one flushed line at a time, so a killed run leaves every complete line.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace gistscope {

// Error "PATH: ..., expected EXPECTED" unless `path` is (a symlink to) a regular file / folder.
// Symlink loops, permissions and missing paths are named as such.
void require_input_file(const std::filesystem::path& path, const std::string& expected);
void require_input_dir(const std::filesystem::path& path, const std::string& expected);
// Whether `path` names something (false on any error, a symlink loop included; never throws).
bool path_exists(const std::filesystem::path& path);
// The whole file, after require_input_file.
std::string read_input_file(const std::filesystem::path& path, const std::string& expected);
// The same for text a user wrote (prompts, texts to tokenize): also Error unless valid UTF-8,
// with the byte offset of the first bad sequence.
std::string read_text_input(const std::filesystem::path& path, const std::string& expected);
// Offset of the first byte that does not start a valid UTF-8 sequence; npos when valid.
size_t first_invalid_utf8(std::string_view text);

// Checks an output path before any work is done: not a folder, its folder exists.
void require_output_path(const std::filesystem::path& path);

// One output file written whole: stream() into FILE.tmp, commit() renames it over FILE.
// Destroyed without commit (an error on the way), the temporary is removed.
class AtomicFile {
public:
    explicit AtomicFile(const std::filesystem::path& path, bool binary = true);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    std::ostream& stream() { return out_; }
    void commit();
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_, tmp_;
    std::ofstream out_;
    bool committed_ = false;
};

void write_file_atomically(const std::filesystem::path& path, const std::string& data);

// A JSON Lines log that must survive a SIGKILL: the first line goes to FILE.tmp, which is renamed
// over FILE at once (an existing FILE is only replaced once the new one has its first line);
// every append() writes one line and flushes it to the operating system.
class LineLog {
public:
    LineLog(const std::filesystem::path& path, const std::string& first_line);
    void append(const std::string& line);
    // Flushes and checks that every line reached the file (Error: disk full).
    void close();
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    std::ofstream out_;
};

}  // namespace gistscope
