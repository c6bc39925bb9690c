#pragma once
// A child process with its stdin and stdout on pipes, for tests that talk to a reference
// implementation. Every wait is bounded; the destructor kills the child (by its PID, never a
// process group or name) if it is still running.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peerport::test {

class Subprocess {
 public:
  // argv[0] is looked up in PATH. Throws std::runtime_error if the spawn fails.
  explicit Subprocess(const std::vector<std::string>& argv, const std::string& cwd = {});
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  bool write_all(const std::uint8_t* data, std::size_t size,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Up to max bytes; empty on EOF, nullopt on timeout.
  std::optional<std::vector<std::uint8_t>> read_some(std::size_t max,
                                                     std::chrono::milliseconds timeout);
  void close_stdin();
  void signal(int sig);
  // The exit status, or nullopt if it did not exit in time (then it is killed).
  std::optional<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  bool reaped_ = false;
};

}  // namespace peerport::test
