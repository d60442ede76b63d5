// What the command-line tests share: running a shell command or the m2msim
// binary, reading a file, a fresh temporary folder.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace m2msim::test {

namespace fs = std::filesystem;

inline const std::string kCli = M2MSIM_CLI;

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr
};

/// Runs a shell command; its exit code and everything it printed.
inline Result shell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// Runs m2msim with these arguments.
inline Result run(const std::string& args) { return shell(kCli + " " + args); }

inline std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// An empty folder under the temporary directory, unique to this process.
inline fs::path temp_dir(const std::string& name, bool create = false) {
  const fs::path d = fs::temp_directory_path() / ("m2msim-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  if (create) fs::create_directories(d);
  return d;
}

}  // namespace m2msim::test
