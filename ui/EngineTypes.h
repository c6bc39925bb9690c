#pragma once
// The UI's own view of what the engine says: plain Qt value types, so that models and widgets
// never include a core header. EngineBridge is the one place that converts between the two.

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace PeerPort {

using ItemId = quint64;

enum class Protocol {
  Tcp,
  Udp,
};

enum class Access {
  Public,     // anyone with the key
  AllowList,  // only the listed friends' keys
  Private,    // the key handed out is a secret
};

enum class NatKind {
  Unknown,
  Open,
  Consistent,
  Random,
  Firewalled,
  Offline,
  UdpBlocked,
};

// Mirrors peerport::engine::ErrorCode; translated by errorSentence() in ErrorText.h.
enum class ErrorKind {
  InvalidKey,
  InvalidArgument,
  PortInUse,
  PeerNotFound,
  ConnectionFailed,
  ServiceUnreachable,
  DhtUnreachable,
  UdpBlocked,
  AnnounceFailed,
  // Why an open tunnel broke off (EngineBridge::peerDisconnected)
  PeerReset,
  PeerTimedOut,
  IdleTimeout,
  Internal,
};

// Mirrors peerport::engine::PeerState: whether a connection's share is reachable right now.
enum class PeerState {
  Unknown,
  Online,
  Offline,
  Refused,
  NotFound,
};

struct DhtInfo {
  bool bootstrapped = false;
  int nodes = 0;
  QString publicAddress;
  NatKind nat = NatKind::Unknown;
  QString relayKey;  // hex; set while this computer relays for others and is announced
};

struct ShareRequest {
  QString name;  // the user's own name for the share ("Minecraft"); empty: host:port is shown
  QString host = QStringLiteral("127.0.0.1");
  quint16 port = 0;
  Protocol protocol = Protocol::Tcp;
  Access access = Access::Public;
  QStringList allow;  // hex public keys, for Access::AllowList
  QString secret;     // for Access::Private: empty asks the engine for a new one
  // Where the share's key was first derived from (the engine derives a public or allow-list
  // share's key from the identity and host:port/protocol). Editing the port keeps this, so
  // friends keep the key they have. keyPort 0: derived from host:port as it is now.
  QString keyHost;
  quint16 keyPort = 0;
  Protocol keyProtocol = Protocol::Tcp;
};

struct ShareInfo {
  ItemId id = 0;
  QString publicKey;  // hex
  QString z32;
  QString url;  // hs://...
  QString secret;
};

struct ConnectRequest {
  QString key;  // as the user wrote it
  QString host = QStringLiteral("127.0.0.1");
  quint16 port = 0;
};

struct ConnectInfo {
  ItemId id = 0;
  QString host;
  quint16 port = 0;
  QString publicKey;  // the share's key, hex
  Protocol protocol = Protocol::Tcp;
};

struct ErrorInfo {
  ItemId id = 0;  // 0: the engine itself
  ErrorKind kind = ErrorKind::Internal;
  QString message;  // the engine's own sentence (English), shown as detail
  bool fatal = false;
};

// One friend with a tunnel open to a share, as the engine sampled it (about once a second).
struct PeerStats {
  QString peer;          // their key, hex (lower case)
  quint64 bytesIn = 0;   // from them, since they connected
  quint64 bytesOut = 0;  // to them
  double rateIn = 0;
  double rateOut = 0;
  int tunnels = 0;  // open now
  quint64 connectedMs = 0;
  quint32 rttMs = 0;  // 0: not measured yet
  bool relayed = false;
};

struct ItemStats {
  ItemId id = 0;
  quint64 bytesIn = 0;
  quint64 bytesOut = 0;
  double rateIn = 0;
  double rateOut = 0;
  quint64 connections = 0;
  quint64 active = 0;
  quint32 rttMs = 0;              // 0: not measured yet
  QVector<PeerStats> peers = {};  // shares: each friend with a tunnel open
};

struct StatsSnapshot {
  QVector<ItemStats> items;
  DhtInfo dht;
  quint64 bytesIn = 0;
  quint64 bytesOut = 0;
  double rateIn = 0;
  double rateOut = 0;
};

}  // namespace PeerPort

Q_DECLARE_METATYPE(PeerPort::DhtInfo)
Q_DECLARE_METATYPE(PeerPort::ShareInfo)
Q_DECLARE_METATYPE(PeerPort::ConnectInfo)
Q_DECLARE_METATYPE(PeerPort::ErrorInfo)
Q_DECLARE_METATYPE(PeerPort::StatsSnapshot)
Q_DECLARE_METATYPE(PeerPort::PeerState)
