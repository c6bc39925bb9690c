#include "common/fd_limit.hpp"

#ifndef _WIN32
#include <sys/resource.h>
#endif

namespace peerport {

FdLimit raise_fd_limit() {
  FdLimit r;
#ifndef _WIN32
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return r;
  r.before = r.now = lim.rlim_cur;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur >= kFdLimitWanted) return r;
  rlim_t want = lim.rlim_max == RLIM_INFINITY || lim.rlim_max > kFdLimitWanted
                    ? static_cast<rlim_t>(kFdLimitWanted)
                    : lim.rlim_max;
  // macOS reports an unlimited hard limit but refuses more than OPEN_MAX (10240): halve until
  // the kernel takes it.
  while (want > lim.rlim_cur) {
    rlimit next = lim;
    next.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &next) == 0) {
      r.now = want;
      break;
    }
    want /= 2;
  }
#endif
  return r;
}

}  // namespace peerport
