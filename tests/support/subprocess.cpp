#include "subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace peerport::test {

Subprocess::Subprocess(const std::vector<std::string>& argv, const std::string& cwd) {
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  std::string cd;
  std::vector<std::string> args = argv;
  if (!cwd.empty()) {
    // posix_spawn_file_actions_addchdir_np is glibc 2.29+; a shell wrapper keeps it portable.
    args = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd};
    args.insert(args.end(), argv.begin(), argv.end());
  }
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  int rc = posix_spawnp(&pid_, cargv[0], &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  in_ = in_pipe[1];
  out_ = out_pipe[0];
  if (rc != 0) {
    ::close(in_);
    ::close(out_);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  ::signal(SIGPIPE, SIG_IGN);
}

Subprocess::~Subprocess() {
  close_stdin();
  if (out_ >= 0) ::close(out_);
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool Subprocess::write_all(const std::uint8_t* data, std::size_t size,
                           std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (size > 0) {
    pollfd p{in_, POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    ssize_t n = ::write(in_, data, size);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> Subprocess::read_some(std::size_t max,
                                                               std::chrono::milliseconds timeout) {
  pollfd p{out_, POLLIN, 0};
  int rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (rc <= 0) return std::nullopt;
  std::vector<std::uint8_t> buf(max);
  ssize_t n = ::read(out_, buf.data(), max);
  if (n <= 0) return std::vector<std::uint8_t>{};
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

void Subprocess::signal(int sig) {
  if (!reaped_ && pid_ > 0) ::kill(pid_, sig);
}

void Subprocess::close_stdin() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

std::optional<int> Subprocess::wait(std::chrono::milliseconds timeout) {
  if (reaped_) return std::nullopt;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  reaped_ = true;
  return std::nullopt;
}

}  // namespace peerport::test
