// Benchmark (not a test): one UDX stream on loopback, PeerPort's core/udx against udx-native,
// in the same run, alternating. Each side runs sender and receiver in one process on one event
// loop. Prints MB/s and CPU seconds per GiB for each, and the ratios.
//   udx_throughput [MiB per run, default 256] [rounds, default 3]
#include <sodium.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/subprocess.hpp"
#include "targets.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;

namespace {

// The README's claim is "about 10x udx-native's loopback throughput"; the floor leaves room for
// a noisy shared machine, not for a regression of half.
constexpr double kMinSpeedup = 5.0;
constexpr double kMaxCpuRatio = 0.5;  // CPU per GiB against udx-native's
constexpr std::uint64_t kRunDeadlineMs = 120000;

struct Figures {
  double seconds = 0;
  double cpu = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t syscalls = 0;
  std::uint64_t packets = 0;
  bool complete = false;
};

double cpu_now() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

Figures run_cpp(std::size_t bytes) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  Figures f;
  {
    Udx udx(&loop);
    Socket a(udx), b(udx);
    (void)a.bind(*Address::parse("127.0.0.1", 0));
    (void)b.bind(*Address::parse("127.0.0.1", 0));
    std::size_t got = 0, sent = 0;
    Bytes chunk(65536, 0x5a);
    std::unique_ptr<Stream> sa, sb;
    std::function<void()> pump = [&] {
      while (sent < bytes) {
        std::size_t n = std::min(chunk.size(), bytes - sent);
        sent += n;
        if (!sa->write(ByteView(chunk).first(n))) return;
      }
    };
    Stream::Callbacks ca;
    ca.on_drain = [&] { pump(); };
    Stream::Callbacks cb;
    cb.on_data = [&](ByteView d) {
      got += d.size();
      if (got == bytes) uv_stop(&loop);
    };
    sa = std::make_unique<Stream>(udx, 1, std::move(ca));
    sb = std::make_unique<Stream>(udx, 2, std::move(cb));
    (void)sa->connect(a, 2, b.local_address());
    (void)sb->connect(b, 1, a.local_address());
    // A run that stalls ends here instead of hanging the benchmark (and counts as incomplete).
    uv_timer_t deadline;
    uv_timer_init(&loop, &deadline);
    deadline.data = &loop;
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(static_cast<uv_loop_t*>(t->data)); }, kRunDeadlineMs,
        0);
    double c0 = cpu_now();
    auto t0 = std::chrono::steady_clock::now();
    pump();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    f.cpu = cpu_now() - c0;
    f.complete = got == bytes;
    if (!f.complete) std::fprintf(stderr, "core/udx run incomplete: %zu of %zu\n", got, bytes);
    f.retransmits = sa->stats().retransmits;
    f.syscalls = a.stats().tx_syscalls + a.stats().rx_syscalls + b.stats().tx_syscalls +
                 b.stats().rx_syscalls;
    f.packets = a.stats().packets_out + b.stats().packets_out;
    sa->destroy();
    sb->destroy();
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return f;
}

Figures run_js(std::size_t bytes) {
  test::Subprocess node({"node", "udx-bench.js", std::to_string(bytes)},
                        PEERPORT_SOURCE_DIR "/tests/interop");
  std::string out;
  while (true) {
    auto d = node.read_some(4096, std::chrono::seconds(130));
    if (!d || d->empty()) break;
    out.append(d->begin(), d->end());
  }
  node.wait(std::chrono::seconds(10));
  auto j = nlohmann::json::parse(out, nullptr, false);
  Figures f;
  if (j.is_discarded() || !j.contains("seconds") || !j.contains("cpuSeconds")) {
    std::fprintf(stderr, "udx-native run incomplete: %s\n", out.c_str());
    return f;
  }
  f.seconds = j["seconds"].get<double>();
  f.cpu = j["cpuSeconds"].get<double>();
  f.complete = true;
  return f;
}

void print(const char* who, std::size_t bytes, const Figures& f) {
  double mb = static_cast<double>(bytes) / 1e6;
  double gib = static_cast<double>(bytes) / (1u << 30);
  std::printf("  %-10s %8.1f MB/s  %6.2f CPU-s/GiB\n", who, mb / f.seconds, f.cpu / gib);
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::size_t bytes = mib << 20;
  Figures cpp_total, js_total;
  bool complete = true;
  std::printf("udx_throughput: one stream on loopback, %zu MiB per run, %d rounds\n", mib, rounds);
  for (int i = 0; i < rounds; ++i) {
    Figures c = run_cpp(bytes);
    Figures j = run_js(bytes);
    complete = complete && c.complete && j.complete;
    std::printf("round %d\n", i + 1);
    print("core/udx", bytes, c);
    std::printf("             %llu datagrams, %llu syscalls, %llu retransmits\n",
                static_cast<unsigned long long>(c.packets),
                static_cast<unsigned long long>(c.syscalls),
                static_cast<unsigned long long>(c.retransmits));
    print("udx-native", bytes, j);
    cpp_total.seconds += c.seconds;
    cpp_total.cpu += c.cpu;
    js_total.seconds += j.seconds;
    js_total.cpu += j.cpu;
  }
  std::printf("total\n");
  print("core/udx", bytes * rounds, cpp_total);
  print("udx-native", bytes * rounds, js_total);
  bench::Targets targets("udx_throughput");
  targets.at_least("throughput_vs_udx_native",
                   cpp_total.seconds > 0 ? js_total.seconds / cpp_total.seconds : 0, kMinSpeedup);
  targets.at_most("cpu_per_gib_vs_udx_native", js_total.cpu > 0 ? cpp_total.cpu / js_total.cpu : 0,
                  kMaxCpuRatio);
  targets.complete("every_run", complete);
  return targets.exit_code();
}
