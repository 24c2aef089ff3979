; Windows installer additions (electron-builder.yml, nsis.include). electron-builder's NSIS target does not
; register the `protocols` of the configuration (macOS and Linux get them from Info.plist and the .desktop
; file), so the dispute-desk:// links are registered here, for the current user, with no file association:
; the same key app.setAsDefaultProtocolClient writes on each start (electron/main/desktop-shell.ts), but here
; a link works before the first start, and the uninstaller removes the key, which the app cannot do. Not
; during an update, where the new version writes it again.

!macro customInstall
  WriteRegStr HKCU "Software\Classes\dispute-desk" "" "URL:Dispute Desk case link"
  WriteRegStr HKCU "Software\Classes\dispute-desk" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\dispute-desk\DefaultIcon" "" "$appExe,0"
  WriteRegStr HKCU "Software\Classes\dispute-desk\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegKey HKCU "Software\Classes\dispute-desk"
  ${endIf}
!macroend
