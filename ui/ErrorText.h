#pragma once
// Every engine ErrorCode as a translated sentence saying what happened and what to do: the UI
// decides on the code, never on the engine's English message, which stays available as detail.

#include <QCoreApplication>
#include <QString>

#include "EngineTypes.h"

namespace PeerPort {

class ErrorText {
  Q_DECLARE_TR_FUNCTIONS(ErrorText)

 public:
  // Short name for a status cell: "Peer not found".
  static QString title(ErrorKind kind);
  // The full sentence with advice.
  static QString sentence(ErrorKind kind);
  static QString stableName(ErrorKind kind);  // "PEER_NOT_FOUND", untranslated
};

}  // namespace PeerPort
