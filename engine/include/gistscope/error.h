// gistscope/error.h: the one exception type the engine throws for anything a user can cause
// (bad file, bad field, bad flag, prompt too long). Its message is a single line that names the
// thing and what was expected, ready to print as is.
#pragma once
#include <stdexcept>
#include <string>

namespace gistscope {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace gistscope
