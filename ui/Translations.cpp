#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace PeerPort {

QString installTranslations(QCoreApplication& app, const QString& language) {
  // Ours are the app's children with this name: removed, then replaced.
  for (QTranslator* old : app.findChildren<QTranslator*>(QStringLiteral("peerportTranslator"),
                                                         Qt::FindDirectChildrenOnly)) {
    QCoreApplication::removeTranslator(old);
    delete old;
  }
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  QLocale::setDefault(locale);
  auto* ours = new QTranslator(&app);
  ours->setObjectName(QStringLiteral("peerportTranslator"));
  // Tries peerport_nb_NO, peerport_nb, ... for each of the locale's UI languages. A language
  // we do not have gets English, whose catalogue holds the plural forms ("1 port", "2 ports").
  if (!ours->load(locale, QStringLiteral("peerport"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
    if (ours->load(QStringLiteral(":/i18n/peerport_en.qm")))
      app.installTranslator(ours);
    else
      delete ours;
    return QStringLiteral("en");
  }
  app.installTranslator(ours);
  auto* qt = new QTranslator(&app);
  qt->setObjectName(QStringLiteral("peerportTranslator"));
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    app.installTranslator(qt);
  } else {
    delete qt;
  }
  return ours->language();
}

}  // namespace PeerPort
