#include "ErrorText.h"

namespace PeerPort {

QString ErrorText::title(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidKey:
      return tr("Invalid key");
    case ErrorKind::InvalidArgument:
      return tr("Invalid setting");
    case ErrorKind::PortInUse:
      return tr("Port in use");
    case ErrorKind::PeerNotFound:
      return tr("Peer not found");
    case ErrorKind::ConnectionFailed:
      return tr("Connection failed");
    case ErrorKind::ServiceUnreachable:
      return tr("Service unreachable");
    case ErrorKind::DhtUnreachable:
      return tr("Network unreachable");
    case ErrorKind::UdpBlocked:
      return tr("UDP blocked");
    case ErrorKind::AnnounceFailed:
      return tr("Announce failed");
    case ErrorKind::PeerReset:
      return tr("Closed by friend");
    case ErrorKind::PeerTimedOut:
      return tr("Friend stopped answering");
    case ErrorKind::IdleTimeout:
      return tr("Closed when idle");
    case ErrorKind::Internal:
      return tr("Internal error");
  }
  return {};
}

QString ErrorText::sentence(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidKey:
      return tr(
          "This is not a key PeerPort understands. Paste the whole key or link your friend sent "
          "(64 hex characters, a z32 key, an hs:// or peerport:// link).");
    case ErrorKind::InvalidArgument:
      return tr(
          "A port or host cannot be used. Check that the port is between 1 and 65535 and the "
          "host is an address of this computer.");
    case ErrorKind::PortInUse:
      return tr(
          "The local port is already taken by another program. Choose another port or leave "
          "it empty to pick a free one.");
    case ErrorKind::PeerNotFound:
      return tr(
          "Nobody is sharing under this key right now. Ask your friend to check that PeerPort "
          "is running and the port is shared; PeerPort keeps trying.");
    case ErrorKind::ConnectionFailed:
      return tr(
          "Your friend was found but the connection could not be made or was refused. If the "
          "share uses an allow-list, ask to be added; otherwise try again or enable relays.");
    case ErrorKind::ServiceUnreachable:
      return tr(
          "The shared service is not answering on this computer. Start the program that "
          "should listen on that port, or share the right port.");
    case ErrorKind::DhtUnreachable:
      return tr(
          "No HyperDHT node answered. Check your internet connection or the bootstrap nodes "
          "in Settings; PeerPort keeps trying.");
    case ErrorKind::UdpBlocked:
      return tr(
          "This network lets the internet through but blocks UDP, which PeerPort needs to "
          "reach anyone. Try another network (a phone hotspot, for example) or ask its "
          "administrator; PeerPort keeps trying.");
    case ErrorKind::AnnounceFailed:
      return tr(
          "The share could not be published on the network, so friends cannot find it yet. "
          "Check your connection; PeerPort retries automatically.");
    case ErrorKind::PeerReset:
      return tr(
          "Your friend's side closed the tunnel: their PeerPort stopped, or the shared program "
          "closed the connection. PeerPort opens a new one when a program connects again.");
    case ErrorKind::PeerTimedOut:
      return tr(
          "Your friend stopped answering: their computer went offline, or one of your "
          "networks changed. PeerPort opens a new tunnel when a program connects again.");
    case ErrorKind::IdleTimeout:
      return tr(
          "Nothing was sent either way for a while, so the tunnel was closed to free it. "
          "PeerPort opens a new one as soon as there is traffic again.");
    case ErrorKind::Internal:
      return tr(
          "Something went wrong inside PeerPort. Stop and start the item again; if it keeps "
          "happening, please report it with the details below.");
  }
  return {};
}

QString ErrorText::stableName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidKey:
      return QStringLiteral("INVALID_KEY");
    case ErrorKind::InvalidArgument:
      return QStringLiteral("INVALID_ARGUMENT");
    case ErrorKind::PortInUse:
      return QStringLiteral("PORT_IN_USE");
    case ErrorKind::PeerNotFound:
      return QStringLiteral("PEER_NOT_FOUND");
    case ErrorKind::ConnectionFailed:
      return QStringLiteral("PEER_CONNECTION_FAILED");
    case ErrorKind::ServiceUnreachable:
      return QStringLiteral("SERVICE_UNREACHABLE");
    case ErrorKind::DhtUnreachable:
      return QStringLiteral("DHT_UNREACHABLE");
    case ErrorKind::UdpBlocked:
      return QStringLiteral("UDP_BLOCKED");
    case ErrorKind::AnnounceFailed:
      return QStringLiteral("ANNOUNCE_FAILED");
    case ErrorKind::PeerReset:
      return QStringLiteral("PEER_RESET");
    case ErrorKind::PeerTimedOut:
      return QStringLiteral("PEER_TIMED_OUT");
    case ErrorKind::IdleTimeout:
      return QStringLiteral("IDLE_TIMEOUT");
    case ErrorKind::Internal:
      return QStringLiteral("INTERNAL");
  }
  return {};
}

}  // namespace PeerPort
