// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/gnuplot.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/file_io.hpp"
#include "geoinv/error.hpp"

extern char** environ;

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// The last non-empty lines of what gnuplot printed, joined: enough to see the failing script and line.
std::string tail_lines(const std::string& text, std::size_t count) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r^") != std::string::npos) lines.push_back(std::move(line));
    start = end + 1;
  }
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  return fmt::format("{}", fmt::join(lines, " | "));
}

}  // namespace

std::string gnuplot_program() {
  const char* program = std::getenv("GEOINV_GNUPLOT");
  return program && *program ? program : "gnuplot";
}

std::string gnuplot_quote(const std::string& text) { return quote_on_one_line(text, '\''); }

void run_gnuplot(const fs::path& folder, const std::vector<std::string>& scripts,
                 const std::vector<std::string>& commands) {
  const std::string program = gnuplot_program();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw Error(Error::Category::io, "cannot run gnuplot: the figures folder does not exist",
                {folder.string()});
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw Error(Error::Category::io, std::string("cannot run gnuplot: pipe: ") + std::strerror(errno),
                {folder.string()});
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
  std::vector<std::string> words{program};
  for (const auto& command : commands) words.insert(words.end(), {"-e", command});
  words.insert(words.end(), scripts.begin(), scripts.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    if (spawned == ENOENT)
      throw Error(
          Error::Category::io,
          fmt::format("gnuplot not found: install gnuplot-nox (tools/bootstrap.sh does) ('{}' {}; "
                      "GEOINV_GNUPLOT names another program)",
                      program,
                      program.find('/') == std::string::npos ? "is not on the PATH" : "does not exist"),
          {folder.string()});
    throw Error(Error::Category::io, fmt::format("cannot run '{}': {}", program, std::strerror(spawned)),
                {folder.string()});
  }
  std::string output;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    output.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // posix_spawnp reports a failed exec (no such program in the working folder's PATH) as exit 127.
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && output.empty())
    throw Error(Error::Category::io,
                fmt::format("gnuplot not found: install gnuplot-nox (tools/bootstrap.sh does) ('{}' could "
                            "not be run; GEOINV_GNUPLOT names another program)",
                            program),
                {folder.string()});
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                              : fmt::format("signal {}", WTERMSIG(status));
    throw Error(Error::Category::io,
                fmt::format("gnuplot failed ({}) on {}: {}", how, fmt::join(scripts, " "),
                            output.empty() ? std::string("no message") : tail_lines(output, 6)),
                {folder.string()});
  }
}

}  // namespace geoinv
