#pragma once

namespace PeerPort {

// Registers the icons of resources/peerport.qrc (built into the static peerport_ui library,
// whose resource initializer the linker would otherwise drop). Safe to call more than once.
void initResources();

}  // namespace PeerPort
