; Added to the installer's main section by CPack (CPACK_NSIS_EXTRA_INSTALL_COMMANDS).

; Windows Firewall. PeerPort receives UDP from peers (DHT replies, hole punching, streams). Without
; a rule Windows asks on first use, and until someone answers, incoming packets are dropped; the
; rules allow UDP for these two programs only. The uninstaller removes them.
nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="PeerPort"'
nsExec::ExecToLog 'netsh advfirewall firewall add rule name="PeerPort" dir=in action=allow protocol=UDP program="$INSTDIR\bin\peerport.exe" enable=yes'
nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="PeerPort CLI"'
nsExec::ExecToLog 'netsh advfirewall firewall add rule name="PeerPort CLI" dir=in action=allow protocol=UDP program="$INSTDIR\bin\peerport-cli.exe" enable=yes'

; Optional autostart of the desktop app for the user installing it (silent installs: no). The app's
; own autostart setting uses the same value name, "PeerPort" (packaging/README.md), so either can
; undo the other.
IfFileExists "$INSTDIR\bin\peerport.exe" 0 peerport_autostart_done
  MessageBox MB_YESNO|MB_ICONQUESTION "Start PeerPort when you sign in to Windows?" /SD IDNO IDNO peerport_autostart_done
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "PeerPort" '"$INSTDIR\bin\peerport.exe"'
peerport_autostart_done:
