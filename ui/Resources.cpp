#include "Resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initPeerPortQrc() {
  Q_INIT_RESOURCE(peerport);
}

namespace PeerPort {

void initResources() {
  static const bool done = [] {
    initPeerPortQrc();
    return true;
  }();
  (void)done;
}

}  // namespace PeerPort
