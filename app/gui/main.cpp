// peerport: the desktop app. Parses the command line, picks the profile, makes sure only one
// instance runs per profile and hands over to ui/DesktopApp.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <cstdio>
#include <cstring>

#include "DesktopApp.h"
#include "Profile.h"
#include "Resources.h"
#include "Settings.h"
#include "SingleInstance.h"
#include "Translations.h"
#include "common/fd_limit.hpp"
#include "crypto/keys.hpp"

int main(int argc, char** argv) {
  // Tunnels hold descriptors: start from what the OS allows, not the session's 1024.
  peerport::raise_fd_limit();
  // Before QApplication, so it works with no display at all (and on -platform offscreen).
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-V") == 0) {
      std::printf("peerport %s\n", PEERPORT_VERSION);
      return 0;
    }
  }

  QApplication app(argc, argv);
  PeerPort::initResources();
  QApplication::setApplicationName(QStringLiteral("PeerPort"));
  QApplication::setOrganizationName(QStringLiteral("peerport"));
  QApplication::setApplicationVersion(QStringLiteral(PEERPORT_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("io.github.peerport.PeerPort"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/peerport.svg")));
  QApplication::setQuitOnLastWindowClosed(false);  // the tray keeps running; quit is explicit

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Share a local port with a friend, peer to peer, over HyperDHT."));
  parser.addHelpOption();
  QCommandLineOption version(QStringList{QStringLiteral("V"), QStringLiteral("version")},
                             QStringLiteral("Print the version and exit."));
  QCommandLineOption profileOption(
      QStringLiteral("profile"),
      QStringLiteral("Use the profile in DIR (default: PEERPORT_PROFILE or the standard one)."),
      QStringLiteral("DIR"));
  QCommandLineOption minimized(QStringLiteral("minimized"),
                               QStringLiteral("Start in the tray without showing the window."));
  parser.addOption(version);
  parser.addOption(profileOption);
  parser.addOption(minimized);
  parser.addPositionalArgument(QStringLiteral("link"),
                               QStringLiteral("A key or peerport:// link to connect to."),
                               QStringLiteral("[link]"));
  parser.process(app);

  const PeerPort::Profile profile = PeerPort::Profile::resolve(parser.value(profileOption));
  const QString link = parser.positionalArguments().value(0);

  // One instance per profile: a second launch raises the first (or hands it the link).
  QString reply;
  if (PeerPort::SingleInstance::sendToRunning(
          profile.instanceName(),
          link.isEmpty() ? QStringLiteral("show") : QStringLiteral("open ") + link, &reply)) {
    return 0;
  }

  {
    PeerPort::SettingsStore settings(profile.settingsFile());
    PeerPort::installTranslations(app, settings.get(PeerPort::Settings::language));
  }

  if (auto st = peerport::crypto::init(); !st) {
    QMessageBox::critical(nullptr, QStringLiteral("PeerPort"),
                          QString::fromStdString(st.error().message));
    return 1;
  }

  PeerPort::SingleInstance instance(profile.instanceName());
  if (!instance.listen()) {
    std::fprintf(stderr, "peerport: cannot create the instance socket for %s\n",
                 qPrintable(profile.dir()));
  }
  PeerPort::DesktopApp::Options options;
  options.startMinimized = parser.isSet(minimized);
  options.testHooks = qEnvironmentVariable("PEERPORT_TEST_HOOKS") == QLatin1String("1");
  options.useKeychain = qEnvironmentVariable("PEERPORT_NO_KEYCHAIN") != QLatin1String("1");
  PeerPort::DesktopApp desktop(profile, options);
  desktop.start(&instance);
  if (!link.isEmpty()) desktop.openLink(link);
  return app.exec();
}
