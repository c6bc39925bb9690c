// linkem: a WAN link emulator for the NAT lab, in C for packet rates the Python delay line
// (delayline.py) cannot reach. This kernel has neither netem nor fq; it has NFQUEUE. A router
// namespace sends one direction of its forwarded traffic to a queue
//   iptables -A FORWARD -i lan0 -j NFQUEUE --queue-num N
// and one linkem per direction, run in that namespace, gives every packet a verdict:
//
//   arrival -> random loss -> bottleneck (rate, bounded FIFO: tail drop when full)
//           -> propagation delay (+ jitter, order kept) -> accepted
//   a --reorder fraction of packets skips the delay: it overtakes those ahead of it
//
// Only the first 20 bytes (the IPv4 header, for the length) are copied to user space. GSO
// packets are segmented by the kernel before queueing (no NFQA_CFG_F_GSO), so each verdict is
// one packet on the wire. Packets are held as ids in a heap by due time.
//
//   linkem --queue N [--delay MS] [--jitter MS] [--loss PCT] [--reorder PCT] [--rate MBIT]
//          [--limit KB] [--seed N] [--ready FILE] [--config FILE]
// --config FILE: the link settings (--delay ... --limit, whitespace separated) are read from FILE
// at start and again on SIGHUP, so one lab serves a whole matrix of profiles.
// --limit is the bottleneck queue in kB (default 1500, about 1000 full packets: a deep queue).
// Runs at SCHED_FIFO priority where allowed, until SIGTERM/SIGINT, then accepts what it holds and prints its counters to stderr.
#define _GNU_SOURCE  // ppoll
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

// Packets the kernel may hold for us; past it the kernel drops (counted in
// /proc/net/netfilter/nfnetlink_queue). A gigabit of 1500-byte packets for 250 ms is ~21k.
#define KERNEL_QUEUE_MAXLEN 200000
// Packets we hold (in the bottleneck queue or on the wire); past it a packet is dropped.
#define MAX_HELD 200000

typedef struct {
  uint64_t due_ns;
  uint64_t order;  // arrival order: ties leave first-come first
  uint32_t id;
} Held;

typedef struct {
  struct nfq_q_handle* qh;
  // Settings.
  uint64_t delay_ns;
  uint64_t jitter_ns;
  double loss;
  double reorder;
  double rate_bps;       // 0: unlimited
  uint64_t limit_bytes;  // bottleneck queue
  // State.
  Held* heap;
  size_t held;
  uint64_t order;
  uint64_t link_free_ns;  // when the bottleneck finishes the last packet given to it
  uint64_t last_due_ns;
  uint64_t rng;
  // Counters.
  uint64_t in, accepted, lost, queue_drops, held_drops, reordered, max_held;
} Link;

static volatile sig_atomic_t running = 1;
static volatile sig_atomic_t reload = 0;
static void on_signal(int sig) {
  if (sig == SIGHUP)
    reload = 1;
  else
    running = 0;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double random01(Link* l) {
  l->rng ^= l->rng << 13;
  l->rng ^= l->rng >> 7;
  l->rng ^= l->rng << 17;
  return (double)(l->rng >> 11) / 9007199254740992.0;
}

static int earlier(const Held* a, const Held* b) {
  return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->order < b->order);
}

static void heap_push(Link* l, Held h) {
  size_t i = l->held++;
  l->heap[i] = h;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!earlier(&l->heap[i], &l->heap[parent])) break;
    Held t = l->heap[i];
    l->heap[i] = l->heap[parent];
    l->heap[parent] = t;
    i = parent;
  }
  if (l->held > l->max_held) l->max_held = l->held;
}

static Held heap_pop(Link* l) {
  Held top = l->heap[0];
  l->heap[0] = l->heap[--l->held];
  size_t i = 0;
  for (;;) {
    size_t a = 2 * i + 1, b = a + 1, m = i;
    if (a < l->held && earlier(&l->heap[a], &l->heap[m])) m = a;
    if (b < l->held && earlier(&l->heap[b], &l->heap[m])) m = b;
    if (m == i) break;
    Held t = l->heap[i];
    l->heap[i] = l->heap[m];
    l->heap[m] = t;
    i = m;
  }
  return top;
}

static void verdict(Link* l, uint32_t id, uint32_t v) {
  nfq_set_verdict(l->qh, id, v, 0, NULL);
}

static int on_packet(struct nfq_q_handle* qh, struct nfgenmsg* msg, struct nfq_data* nfa,
                     void* data) {
  (void)qh;
  (void)msg;
  Link* l = data;
  struct nfqnl_msg_packet_hdr* ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  const uint32_t id = ntohl(ph->packet_id);
  unsigned char* payload = NULL;
  const int copied = nfq_get_payload(nfa, &payload);
  uint32_t len = 1500;
  if (copied >= 4 && (payload[0] >> 4) == 4) len = (uint32_t)payload[2] << 8 | payload[3];
  const uint64_t t = now_ns();
  ++l->in;

  if (l->loss > 0 && random01(l) < l->loss) {
    ++l->lost;
    verdict(l, id, NF_DROP);
    return 0;
  }
  uint64_t depart = t;
  if (l->rate_bps > 0) {
    // The bottleneck serialises packets at the rate; what waits for it is its queue.
    const uint64_t start = l->link_free_ns > t ? l->link_free_ns : t;
    const double backlog = (double)(start - t) * l->rate_bps / 8e9;
    if (backlog + len > (double)l->limit_bytes) {
      ++l->queue_drops;
      verdict(l, id, NF_DROP);
      return 0;
    }
    l->link_free_ns = start + (uint64_t)((double)len * 8e9 / l->rate_bps);
    depart = l->link_free_ns;
  }
  if (l->held >= MAX_HELD) {
    ++l->held_drops;
    verdict(l, id, NF_DROP);
    return 0;
  }
  uint64_t due = depart;
  if (l->reorder > 0 && random01(l) < l->reorder) {
    ++l->reordered;
  } else {
    int64_t d = (int64_t)l->delay_ns;
    if (l->jitter_ns) d += (int64_t)((random01(l) * 2 - 1) * (double)l->jitter_ns);
    if (d < 0) d = 0;
    due = depart + (uint64_t)d;
    // Jitter varies the delay but keeps the order, as a real path mostly does; reordering is
    // its own setting.
    if (due < l->last_due_ns) due = l->last_due_ns;
    l->last_due_ns = due;
  }
  heap_push(l, (Held){due, l->order++, id});
  return 0;
}

static void release_due(Link* l, uint64_t t) {
  while (l->held > 0 && l->heap[0].due_ns <= t) {
    Held h = heap_pop(l);
    verdict(l, h.id, NF_ACCEPT);
    ++l->accepted;
  }
}

static void usage(void) {
  fprintf(stderr,
          "usage: linkem --queue N [--delay MS] [--jitter MS] [--loss PCT] [--reorder PCT]\n"
          "              [--rate MBIT] [--limit KB] [--seed N] [--ready FILE]\n");
  exit(2);
}

static double number(const char* s) {
  char* end;
  const double v = strtod(s, &end);
  if (*s == 0 || *end != 0 || v < 0) usage();
  return v;
}

// One link setting; 0 if `a` is not one.
static int link_option(Link* l, const char* a, const char* v) {
  if (!strcmp(a, "--delay")) l->delay_ns = (uint64_t)(number(v) * 1e6);
  else if (!strcmp(a, "--jitter")) l->jitter_ns = (uint64_t)(number(v) * 1e6);
  else if (!strcmp(a, "--loss")) l->loss = number(v) / 100;
  else if (!strcmp(a, "--reorder")) l->reorder = number(v) / 100;
  else if (!strcmp(a, "--rate")) l->rate_bps = number(v) * 1e6;
  else if (!strcmp(a, "--limit")) l->limit_bytes = (uint64_t)(number(v) * 1000);
  else return 0;
  return 1;
}

static void link_defaults(Link* l) {
  l->delay_ns = l->jitter_ns = 0;
  l->loss = l->reorder = l->rate_bps = 0;
  l->limit_bytes = 1500 * 1000;
}

// Settings from a file, replacing all of them; the held packets keep their due times.
static int read_config(Link* l, const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) {
    perror("linkem: config");
    return 0;
  }
  char text[1024];
  const size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  link_defaults(l);
  char* save = NULL;
  for (char* a = strtok_r(text, " \t\n", &save); a; a = strtok_r(NULL, " \t\n", &save)) {
    char* v = strtok_r(NULL, " \t\n", &save);
    if (!v || !link_option(l, a, v)) {
      fprintf(stderr, "linkem: bad config option %s\n", a);
      return 0;
    }
  }
  if (l->loss >= 1 || l->reorder > 1) return 0;
  fprintf(stderr, "linkem: delay %.1f ms jitter %.1f ms loss %.2f %% reorder %.1f %% rate %.1f Mbit/s limit %llu kB\n",
          (double)l->delay_ns / 1e6, (double)l->jitter_ns / 1e6, l->loss * 100, l->reorder * 100,
          l->rate_bps / 1e6, (unsigned long long)(l->limit_bytes / 1000));
  return 1;
}

int main(int argc, char** argv) {
  Link l;
  memset(&l, 0, sizeof l);
  link_defaults(&l);
  int queue = -1;
  const char* ready = NULL;
  const char* config = NULL;
  l.rng = 0x9e3779b97f4a7c15ull;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    if (link_option(&l, a, v)) continue;
    if (!strcmp(a, "--queue")) queue = (int)number(v);
    else if (!strcmp(a, "--seed")) l.rng = (uint64_t)number(v) * 2654435761ull | 1;
    else if (!strcmp(a, "--ready")) ready = v;
    else if (!strcmp(a, "--config")) config = v;
    else usage();
  }
  if (queue < 0 || queue > 65535 || l.loss >= 1 || l.reorder > 1) usage();
  if (config && !read_config(&l, config)) return 2;
  l.heap = calloc(MAX_HELD, sizeof(Held));
  if (!l.heap) return 1;

  struct nfq_handle* h = nfq_open();
  if (!h) {
    perror("linkem: nfq_open");
    return 1;
  }
  l.qh = nfq_create_queue(h, (uint16_t)queue, on_packet, &l);
  if (!l.qh) {
    perror("linkem: nfq_create_queue");
    return 1;
  }
  if (nfq_set_mode(l.qh, NFQNL_COPY_PACKET, 20) < 0 ||
      nfq_set_queue_maxlen(l.qh, KERNEL_QUEUE_MAXLEN) < 0) {
    perror("linkem: configuring the queue");
    return 1;
  }
  const int fd = nfq_fd(h);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 64u << 20);
  const int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

  // Real-time priority: on a loaded machine (the lab shares two cores with builds and the tools
  // under test) an ordinary process wakes milliseconds late and the delay would be that much
  // longer. The loop blocks in ppoll between packets, so it cannot starve the machine (and the
  // kernel's RT throttling would stop it if it did).
  struct sched_param sp = {.sched_priority = 20};
  if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) perror("linkem: no real-time priority");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  if (ready) {
    FILE* f = fopen(ready, "w");
    if (!f) {
      perror("linkem: ready file");
      return 1;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
  }

  static char buf[1 << 17];
  while (running) {
    if (reload) {
      reload = 0;
      if (config) read_config(&l, config);
    }
    const uint64_t t = now_ns();
    release_due(&l, t);
    struct timespec timeout = {0, 200000000};
    if (l.held > 0) {
      const uint64_t wait = l.heap[0].due_ns > t ? l.heap[0].due_ns - t : 0;
      timeout.tv_sec = (time_t)(wait / 1000000000ull);
      timeout.tv_nsec = (long)(wait % 1000000000ull);
    }
    struct pollfd p = {fd, POLLIN, 0};
    const int r = ppoll(&p, 1, &timeout, NULL);
    if (r < 0 && errno != EINTR) {
      perror("linkem: ppoll");
      break;
    }
    if (r <= 0) continue;
    // Everything waiting, before the next release: a burst is stamped when it arrived.
    for (;;) {
      const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) break;
      nfq_handle_packet(h, buf, (int)n);
    }
  }
  while (l.held > 0) verdict(&l, heap_pop(&l).id, NF_ACCEPT);
  fprintf(stderr,
          "linkem queue %d: in %llu accepted %llu lost %llu queue_drops %llu held_drops %llu "
          "reordered %llu max_held %llu\n",
          queue, (unsigned long long)l.in, (unsigned long long)l.accepted,
          (unsigned long long)l.lost, (unsigned long long)l.queue_drops,
          (unsigned long long)l.held_drops, (unsigned long long)l.reordered,
          (unsigned long long)l.max_held);
  nfq_destroy_queue(l.qh);
  nfq_close(h);
  free(l.heap);
  return 0;
}
