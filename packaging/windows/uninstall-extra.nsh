; Added to the uninstaller's section by CPack (CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS): undo what
; install-extra.nsh did. Deleting a rule or value that is not there is harmless.
nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="PeerPort"'
nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="PeerPort CLI"'
DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "PeerPort"
; CPack removes its key under the vendor's key but leaves the vendor's key, empty, behind; the
; vendor is us and holds nothing else.
DeleteRegKey SHCTX "Software\The PeerPort contributors"
