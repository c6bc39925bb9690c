#pragma once
// Loads the UI translation (compiled from translations/*.ts into :/i18n) and Qt's own, for the
// language chosen in Settings or, if none, the system locale.

#include <QString>

class QCoreApplication;

namespace PeerPort {

// `language`: "" for the system locale, else a code such as "nb" or "es". Returns the language
// actually loaded ("en" when the source strings are used). Called again, it replaces the
// translators it installed before (a language change without a restart).
QString installTranslations(QCoreApplication& app, const QString& language);

}  // namespace PeerPort
