<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nb_NO">
<context>
    <name>ErrorText</name>
    <message>
        <source>Invalid key</source>
        <translation>Ugyldig nøkkel</translation>
    </message>
    <message>
        <source>Invalid setting</source>
        <translation>Ugyldig innstilling</translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation>Porten er i bruk</translation>
    </message>
    <message>
        <source>Peer not found</source>
        <translation>Fant ikke motparten</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Tilkoblingen mislyktes</translation>
    </message>
    <message>
        <source>Service unreachable</source>
        <translation>Tjenesten svarer ikke</translation>
    </message>
    <message>
        <source>Network unreachable</source>
        <translation>Nettverket er utilgjengelig</translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation>UDP blokkert</translation>
    </message>
    <message>
        <source>Announce failed</source>
        <translation>Kunngjøring mislyktes</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>Intern feil</translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste the whole key or link your friend sent (64 hex characters, a z32 key, an hs:// or peerport:// link).</source>
        <translation>Dette er ikke en nøkkel PeerPort forstår. Lim inn hele nøkkelen eller lenken vennen din sendte (64 heksadesimale tegn, en z32-nøkkel, en hs://- eller peerport://-lenke).</translation>
    </message>
    <message>
        <source>A port or host cannot be used. Check that the port is between 1 and 65535 and the host is an address of this computer.</source>
        <translation>En port eller vert kan ikke brukes. Sjekk at porten er mellom 1 og 65535 og at verten er en adresse på denne datamaskinen.</translation>
    </message>
    <message>
        <source>The local port is already taken by another program. Choose another port or leave it empty to pick a free one.</source>
        <translation>Den lokale porten brukes allerede av et annet program. Velg en annen port, eller la feltet stå tomt for å velge en ledig.</translation>
    </message>
    <message>
        <source>Nobody is sharing under this key right now. Ask your friend to check that PeerPort is running and the port is shared; PeerPort keeps trying.</source>
        <translation>Ingen deler under denne nøkkelen akkurat nå. Be vennen din sjekke at PeerPort kjører og at porten er delt; PeerPort fortsetter å prøve.</translation>
    </message>
    <message>
        <source>Your friend was found but the connection could not be made or was refused. If the share uses an allow-list, ask to be added; otherwise try again or enable relays.</source>
        <translation>Vennen din ble funnet, men tilkoblingen kunne ikke opprettes eller ble avvist. Hvis delingen bruker en tillatelsesliste, be om å bli lagt til; ellers prøv igjen eller slå på reléer.</translation>
    </message>
    <message>
        <source>The shared service is not answering on this computer. Start the program that should listen on that port, or share the right port.</source>
        <translation>Den delte tjenesten svarer ikke på denne datamaskinen. Start programmet som skal lytte på porten, eller del riktig port.</translation>
    </message>
    <message>
        <source>No HyperDHT node answered. Check your internet connection or the bootstrap nodes in Settings; PeerPort keeps trying.</source>
        <translation>Ingen HyperDHT-node svarte. Sjekk internettforbindelsen eller oppstartsnodene i Innstillinger; PeerPort fortsetter å prøve.</translation>
    </message>
    <message>
        <source>This network lets the internet through but blocks UDP, which PeerPort needs to reach anyone. Try another network (a phone hotspot, for example) or ask its administrator; PeerPort keeps trying.</source>
        <translation>Dette nettverket slipper gjennom internett, men blokkerer UDP, som PeerPort trenger for å nå noen. Prøv et annet nettverk (for eksempel en mobil-hotspot) eller spør administratoren; PeerPort fortsetter å prøve.</translation>
    </message>
    <message>
        <source>The share could not be published on the network, so friends cannot find it yet. Check your connection; PeerPort retries automatically.</source>
        <translation>Delingen kunne ikke publiseres på nettverket, så venner finner den ikke ennå. Sjekk forbindelsen; PeerPort prøver igjen automatisk.</translation>
    </message>
    <message>
        <source>Something went wrong inside PeerPort. Stop and start the item again; if it keeps happening, please report it with the details below.</source>
        <translation>Noe gikk galt i PeerPort. Stopp og start elementet på nytt; hvis det fortsetter, rapporter det gjerne med detaljene nedenfor.</translation>
    </message>
    <message>
        <source>Closed by friend</source>
        <translation>Lukket av vennen</translation>
    </message>
    <message>
        <source>Friend stopped answering</source>
        <translation>Vennen svarer ikke lenger</translation>
    </message>
    <message>
        <source>Closed when idle</source>
        <translation>Lukket fordi den sto ubrukt</translation>
    </message>
    <message>
        <source>Your friend&apos;s side closed the tunnel: their PeerPort stopped, or the shared program closed the connection. PeerPort opens a new one when a program connects again.</source>
        <translation>Vennens side lukket tunnelen: PeerPort hos vennen stoppet, eller det delte programmet lukket forbindelsen. PeerPort åpner en ny når et program kobler til igjen.</translation>
    </message>
    <message>
        <source>Your friend stopped answering: their computer went offline, or one of your networks changed. PeerPort opens a new tunnel when a program connects again.</source>
        <translation>Vennen svarer ikke lenger: datamaskinen gikk av nett, eller et av nettverkene deres endret seg. PeerPort åpner en ny tunnel når et program kobler til igjen.</translation>
    </message>
    <message>
        <source>Nothing was sent either way for a while, so the tunnel was closed to free it. PeerPort opens a new one as soon as there is traffic again.</source>
        <translation>Ingenting ble sendt noen vei på en stund, så tunnelen ble lukket for å frigjøre den. PeerPort åpner en ny så snart det er trafikk igjen.</translation>
    </message>
</context>
<context>
    <name>PeerPort::AppController</name>
    <message>
        <source>%1:%2 is already shared.</source>
        <translation>%1:%2 er allerede delt.</translation>
    </message>
</context>
<context>
    <name>PeerPort::Autostart</name>
    <message>
        <source>Cannot remove %1</source>
        <translation>Kan ikke fjerne %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Kan ikke skrive %1: %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectDialog</name>
    <message>
        <source>Connect to a friend&apos;s share</source>
        <translation>Koble til en venns deling</translation>
    </message>
    <message>
        <source>Paste the key or link your friend sent</source>
        <translation>Lim inn nøkkelen eller lenken vennen din sendte</translation>
    </message>
    <message>
        <source>Accepted: 64 hex characters, a z32 key, hs://0000…, hs://s000… or a peerport:// link</source>
        <translation>Godtas: 64 heksadesimale tegn, en z32-nøkkel, hs://0000…, hs://s000… eller en peerport://-lenke</translation>
    </message>
    <message>
        <source>automatic (a free port)</source>
        <translation>automatisk (en ledig port)</translation>
    </message>
    <message>
        <source>The port on this computer where the friend&apos;s service appears; leave empty to pick a free one</source>
        <translation>Porten på denne datamaskinen der vennens tjeneste dukker opp; la stå tomt for å velge en ledig</translation>
    </message>
    <message>
        <source>optional, for example “Alice&apos;s web server”</source>
        <translation>valgfritt, for eksempel «Alices nettserver»</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Koble til</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Nøkkel:</translation>
    </message>
    <message>
        <source>&amp;Local port:</source>
        <translation>&amp;Lokal port:</translation>
    </message>
    <message>
        <source>Paste the key your friend sent you.</source>
        <translation>Lim inn nøkkelen vennen din sendte deg.</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Nøkkel %1</translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation>Nøkkelen til %1</translation>
    </message>
    <message>
        <source>The local port must be a number from 1 to 65535, or empty for a free one.</source>
        <translation>Den lokale porten må være et tall fra 1 til 65535, eller tom for en ledig port.</translation>
    </message>
    <message>
        <source>Port %1 is in use on this computer. Choose another or leave it empty.</source>
        <translation>Port %1 er i bruk på denne datamaskinen. Velg en annen eller la feltet stå tomt.</translation>
    </message>
    <message>
        <source>A name for this connection, shown in the list and in notifications</source>
        <translation>Et navn på denne tilkoblingen, vist i listen og i varsler</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Navn:</translation>
    </message>
    <message>
        <source>Edit connection</source>
        <translation>Rediger tilkobling</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>To reach another key, make a new connection</source>
        <translation>Lag en ny tilkobling for å nå en annen nøkkel</translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectionsModel</name>
    <message>
        <source>Local port</source>
        <translation>Lokal port</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Tilstand</translation>
    </message>
    <message>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Hastighet</translation>
    </message>
    <message>
        <source>Where the friend&apos;s service appears on this computer; click to copy localhost:port</source>
        <translation>Der vennens tjeneste dukker opp på denne datamaskinen; klikk for å kopiere localhost:port</translation>
    </message>
    <message>
        <source>How the tunnel is doing: direct, relayed, retrying…</source>
        <translation>Hvordan tunnelen har det: direkte, via relé, prøver igjen…</translation>
    </message>
    <message>
        <source>Round-trip time to the friend</source>
        <translation>Tur-retur-tid til vennen</translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation>Nåværende opplastings- og nedlastingshastighet</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stoppet</translation>
    </message>
    <message>
        <source>Looking up…</source>
        <translation>Slår opp…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <source>Punching…</source>
        <translation>Hullslår…</translation>
    </message>
    <message>
        <source>Direct</source>
        <translation>Direkte</translation>
    </message>
    <message>
        <source>Relayed</source>
        <translation>Via relé</translation>
    </message>
    <message>
        <source>Retrying: %1</source>
        <translation>Prøver igjen: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Feil: %1</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Click to copy localhost:%1</source>
        <translation>Klikk for å kopiere localhost:%1</translation>
    </message>
    <message>
        <source>Up (to the friend) and down (from the friend)</source>
        <translation>Opp (til vennen) og ned (fra vennen)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>På nett</translation>
    </message>
    <message>
        <source>Friend offline</source>
        <translation>Vennen er ikke på nett</translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation>Ikke sluppet inn</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Ikke funnet</translation>
    </message>
    <message>
        <source>A tunnel is open through a relay.</source>
        <translation>En tunnel er åpen gjennom et relé.</translation>
    </message>
    <message>
        <source>A direct tunnel is open.</source>
        <translation>En direkte tunnel er åpen.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online. A tunnel opens when a program connects to the local port.</source>
        <translation>Vennens deling er tilkoblet. En tunnel åpnes når et program kobler til den lokale porten.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share was online earlier and is not on the network now (paused, quit or offline). PeerPort checks again every 30 seconds.</source>
        <translation>Vennens deling var tilkoblet tidligere og er ikke på nettet nå (satt på pause, avsluttet eller frakoblet). PeerPort sjekker igjen hvert 30. sekund.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online but did not admit this computer: it admits only the friends on its allow-list (or it stopped just now). Send your key (Settings → Identity) and ask to be added.</source>
        <translation>Vennens deling er tilkoblet, men slapp ikke inn denne datamaskinen: den slipper bare inn vennene på tillatelseslisten (eller den stoppet akkurat nå). Send nøkkelen din (Innstillinger → Identitet) og be om å bli lagt til.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>The connection&apos;s name (Edit… renames it), or a short key</source>
        <translation>Tilkoblingens navn (Rediger… endrer det), eller en kort nøkkel</translation>
    </message>
    <message>
        <source>Shared by %1</source>
        <translation>Delt av %1</translation>
    </message>
    <message>
        <source>No tunnel to the friend&apos;s share now, so no rate</source>
        <translation>Ingen tunnel til vennens deling nå, så ingen hastighet</translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation>Kode: %1</translation>
    </message>
</context>
<context>
    <name>PeerPort::DesktopApp</name>
    <message>
        <source>A friend connected</source>
        <translation>En venn koblet til</translation>
    </message>
    <message>
        <source>%1 connected to %2</source>
        <translation>%1 koblet til %2</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>Tilkobling avvist</translation>
    </message>
    <message>
        <source>%1 tried to reach %2 and is not on its allow-list</source>
        <translation>%1 prøvde å nå %2 og står ikke på tillatelseslisten</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>Tjenesten svarer ikke</translation>
    </message>
    <message>
        <source>Nothing answers on %1: friends reach the share but not the service</source>
        <translation>Ingenting svarer på %1: venner når delingen, men ikke tjenesten</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Avvist</translation>
    </message>
    <message>
        <source>The share of %1 does not admit this computer. Send your key (My key…) and ask to be added.</source>
        <translation>Delingen %1 slipper ikke inn denne datamaskinen. Send nøkkelen din (Min nøkkel…) og be om å bli lagt til.</translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation>Porten er i bruk</translation>
    </message>
    <message>
        <source>%1: local port %2 is taken by another program. Edit the connection to pick another.</source>
        <translation>%1: den lokale porten %2 brukes av et annet program. Rediger tilkoblingen for å velge en annen.</translation>
    </message>
    <message>
        <source>%1: the local port is taken by another program.</source>
        <translation>%1: den lokale porten brukes av et annet program.</translation>
    </message>
    <message>
        <source>Relayed connection</source>
        <translation>Videresendt tilkobling</translation>
    </message>
    <message>
        <source>%1 goes through a relay: no direct path could be made. It stays encrypted, but is slower.</source>
        <translation>%1 går via et relé: ingen direkte vei kunne lages. Den er fortsatt kryptert, men tregere.</translation>
    </message>
</context>
<context>
    <name>PeerPort::Format</name>
    <message>
        <source>Public</source>
        <translation>Offentlig</translation>
    </message>
    <message>
        <source>Allow-list</source>
        <translation>Tillatelsesliste</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Privat</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>ukjent</translation>
    </message>
    <message>
        <source>open (no NAT)</source>
        <translation>åpen (ingen NAT)</translation>
    </message>
    <message>
        <source>consistent NAT</source>
        <translation>konsistent NAT</translation>
    </message>
    <message>
        <source>random NAT</source>
        <translation>tilfeldig NAT</translation>
    </message>
    <message>
        <source>firewalled</source>
        <translation>bak brannmur</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>frakoblet</translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation>UDP blokkert</translation>
    </message>
</context>
<context>
    <name>PeerPort::FriendsDialog</name>
    <message>
        <source>Friends</source>
        <translation>Venner</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Nøkkel</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Legg til…</translation>
    </message>
    <message>
        <source>Add a friend by key</source>
        <translation>Legg til en venn med nøkkel</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Fjern</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>Legg til venn</translation>
    </message>
    <message>
        <source>A friend is a person: the key they send from “My key” and a name for them. Shares with an allow-list pick friends from here.</source>
        <translation>En venn er en person: nøkkelen de sender fra «Min nøkkel» og et navn på dem. Delinger med tillatelsesliste velger venner herfra.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>Double-click a name to rename the friend</source>
        <translation>Dobbeltklikk et navn for å gi vennen nytt navn</translation>
    </message>
    <message>
        <source>Forget the selected friend</source>
        <translation>Glem den valgte vennen</translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation>&amp;Min nøkkel…</translation>
    </message>
    <message>
        <source>Your own key, to send to friends: copy it or show a QR code</source>
        <translation>Din egen nøkkel, til å sende venner: kopier den eller vis en QR-kode</translation>
    </message>
    <message>
        <source>Friend&apos;s key (from their “My key”):</source>
        <translation>Vennens nøkkel (fra deres «Min nøkkel»):</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Navn:</translation>
    </message>
</context>
<context>
    <name>PeerPort::KeyText</name>
    <message>
        <source>Paste the key or link your friend sent.</source>
        <translation>Lim inn nøkkelen eller lenken vennen din sendte.</translation>
    </message>
    <message>
        <source>This link is incomplete or damaged. Copy the whole link again from your friend&apos;s message; PeerPort accepts 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation>Denne lenken er ufullstendig eller skadet. Kopier hele lenken på nytt fra vennens melding; PeerPort godtar 64 heksadesimale tegn, en z32-nøkkel på 52 tegn, eller en hs://- eller peerport://-lenke.</translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation>Dette er ikke en nøkkel PeerPort forstår. Lim inn 64 heksadesimale tegn, en z32-nøkkel på 52 tegn, eller en hs://- eller peerport://-lenke.</translation>
    </message>
</context>
<context>
    <name>PeerPort::MainWindow</name>
    <message>
        <source>Relay key copied</source>
        <translation>Relénøkkel kopiert</translation>
    </message>
    <message>
        <source>Relaying for others</source>
        <translation>Relé for andre</translation>
    </message>
    <message>
        <source>This computer relays for peers that cannot reach each other directly (they stay end-to-end encrypted). Its relay key, which they name with --relay: %1. Click to copy it.</source>
        <translation>Denne datamaskinen videresender for andre som ikke når hverandre direkte (de forblir ende-til-ende-kryptert). Relénøkkelen, som de oppgir med --relay: %1. Klikk for å kopiere den.</translation>
    </message>
    <message>
        <source>The HyperDHT network: nodes known and whether we are bootstrapped</source>
        <translation>HyperDHT-nettverket: kjente noder og om vi er koblet til</translation>
    </message>
    <message>
        <source>How the network sees this computer: NAT type and public address</source>
        <translation>Hvordan nettverket ser denne datamaskinen: NAT-type og offentlig adresse</translation>
    </message>
    <message>
        <source>Total rate and bytes, all shares and connections</source>
        <translation>Samlet hastighet og mengde, alle delinger og tilkoblinger</translation>
    </message>
    <message>
        <source>The network engine could not start: %1</source>
        <translation>Nettverksmotoren kunne ikke starte: %1</translation>
    </message>
    <message>
        <source>&amp;Share port…</source>
        <translation>&amp;Del port…</translation>
    </message>
    <message>
        <source>Share a local port with friends (%1)</source>
        <translation>Del en lokal port med venner (%1)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Koble til…</translation>
    </message>
    <message>
        <source>Reach a friend&apos;s shared port by key (Ctrl+K)</source>
        <translation>Nå en venns delte port med nøkkel (Ctrl+K)</translation>
    </message>
    <message>
        <source>&amp;Friends…</source>
        <translation>&amp;Venner…</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>&amp;Innstillinger…</translation>
    </message>
    <message>
        <source>Network, language, start at login</source>
        <translation>Nettverk, språk, start ved innlogging</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pause alt</translation>
    </message>
    <message>
        <source>Stop every share and connection until you resume (Ctrl+P)</source>
        <translation>Stopp alle delinger og tilkoblinger til du fortsetter (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>&amp;Lukk vinduet</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Avslutt</translation>
    </message>
    <message>
        <source>&amp;About PeerPort</source>
        <translation>&amp;Om PeerPort</translation>
    </message>
    <message>
        <source>&amp;PeerPort</source>
        <translation>&amp;PeerPort</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjelp</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hoved</translation>
    </message>
    <message>
        <source>Shared ports</source>
        <translation>Delte porter</translation>
    </message>
    <message>
        <source>Copy &amp;key</source>
        <translation>Kopier &amp;nøkkel</translation>
    </message>
    <message>
        <source>Copy the key (or private link) for your friend</source>
        <translation>Kopier nøkkelen (eller den private lenken) til vennen din</translation>
    </message>
    <message>
        <source>&amp;QR code…</source>
        <translation>&amp;QR-kode…</translation>
    </message>
    <message>
        <source>Show the link as a QR code</source>
        <translation>Vis lenken som QR-kode</translation>
    </message>
    <message>
        <source>Copy as &amp;hypertele</source>
        <translation>Kopier som &amp;hypertele</translation>
    </message>
    <message>
        <source>Copy a hypertele command that reaches this share</source>
        <translation>Kopier en hypertele-kommando som når denne delingen</translation>
    </message>
    <message>
        <source>Copy as h&amp;olesail</source>
        <translation>Kopier som h&amp;olesail</translation>
    </message>
    <message>
        <source>Copy a holesail command that reaches this share</source>
        <translation>Kopier en holesail-kommando som når denne delingen</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;topp</translation>
    </message>
    <message>
        <source>Stop or start sharing this port</source>
        <translation>Stopp eller start delingen av denne porten</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Fjern</translation>
    </message>
    <message>
        <source>Stop sharing and remove this port from the list</source>
        <translation>Slutt å dele og fjern porten fra listen</translation>
    </message>
    <message>
        <source>Remove share</source>
        <translation>Fjern deling</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Tilkoblinger</translation>
    </message>
    <message>
        <source>Copy &amp;address</source>
        <translation>Kopier &amp;adresse</translation>
    </message>
    <message>
        <source>Copy localhost:port, where the friend&apos;s service is</source>
        <translation>Kopier localhost:port, der vennens tjeneste er</translation>
    </message>
    <message>
        <source>Open in &amp;browser</source>
        <translation>Åpne i &amp;nettleser</translation>
    </message>
    <message>
        <source>Open http://localhost:port in your web browser</source>
        <translation>Åpne http://localhost:port i nettleseren</translation>
    </message>
    <message>
        <source>Disco&amp;nnect</source>
        <translation>Koble &amp;fra</translation>
    </message>
    <message>
        <source>Close or reopen this connection</source>
        <translation>Lukk eller åpne denne tilkoblingen igjen</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>Fje&amp;rn</translation>
    </message>
    <message>
        <source>Disconnect and remove this connection from the list</source>
        <translation>Koble fra og fjern tilkoblingen fra listen</translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation>S&amp;tart</translation>
    </message>
    <message>
        <source>Reco&amp;nnect</source>
        <translation>Koble til &amp;igjen</translation>
    </message>
    <message>
        <source>Connection to %1</source>
        <translation>Tilkobling til %1</translation>
    </message>
    <message>
        <source>DHT: starting…</source>
        <translation>DHT: starter…</translation>
    </message>
    <message>
        <source>DHT: not running</source>
        <translation>DHT: kjører ikke</translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapped, %n node(s)</source>
        <translation>
            <numerusform>DHT: tilkoblet, %n node</numerusform>
            <numerusform>DHT: tilkoblet, %n noder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapping, %n node(s)</source>
        <translation>
            <numerusform>DHT: kobler til, %n node</numerusform>
            <numerusform>DHT: kobler til, %n noder</numerusform>
        </translation>
    </message>
    <message>
        <source>NAT: %1</source>
        <translation>NAT: %1</translation>
    </message>
    <message>
        <source>NAT: %1, public %2</source>
        <translation>NAT: %1, offentlig %2</translation>
    </message>
    <message>
        <source>%1   total ↑ %2 ↓ %3</source>
        <translation>%1   totalt ↑ %2 ↓ %3</translation>
    </message>
    <message>
        <source>About PeerPort</source>
        <translation>Om PeerPort</translation>
    </message>
    <message>
        <source>Share a local port with a friend, peer to peer, over HyperDHT. End-to-end encrypted; no server in the middle.&lt;br&gt;&lt;br&gt;Licensed under the GNU GPL, version 3 or later. Built with Qt %1.</source>
        <translation>Del en lokal port med en venn, direkte over HyperDHT. Ende-til-ende-kryptert; ingen server i midten.&lt;br&gt;&lt;br&gt;Lisensiert under GNU GPL, versjon 3 eller senere. Bygget med Qt %1.</translation>
    </message>
    <message>
        <source>PeerPort keeps running</source>
        <translation>PeerPort fortsetter å kjøre</translation>
    </message>
    <message>
        <source>PeerPort keeps sharing in the background. Use the tray icon to open the window again, or choose Quit from its menu to stop sharing.</source>
        <translation>PeerPort fortsetter å dele i bakgrunnen. Bruk ikonet i systemkurven for å åpne vinduet igjen, eller velg Avslutt i menyen for å slutte å dele.</translation>
    </message>
    <message>
        <source>There is no system tray here, so closing the window quits PeerPort and stops every share and connection. Quit?</source>
        <translation>Det finnes ingen systemkurv her, så å lukke vinduet avslutter PeerPort og stopper alle delinger og tilkoblinger. Avslutte?</translation>
    </message>
    <message>
        <source>Quit PeerPort?</source>
        <translation>Avslutte PeerPort?</translation>
    </message>
    <message>
        <source>Quit PeerPort</source>
        <translation>Avslutt PeerPort</translation>
    </message>
    <message>
        <source>&amp;Retry keychain</source>
        <translation>&amp;Prøv nøkkelringen igjen</translation>
    </message>
    <message>
        <source>Ask the system keychain again and move the key there</source>
        <translation>Spør systemets nøkkelring igjen og flytt nøkkelen dit</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Lukk meldingen</translation>
    </message>
    <message>
        <source>Hide this message; PeerPort keeps the key in the file and stops asking the keychain</source>
        <translation>Skjul denne meldingen; PeerPort beholder nøkkelen i filen og slutter å spørre nøkkelringen</translation>
    </message>
    <message>
        <source>hypertele command copied: %1</source>
        <translation>hypertele-kommando kopiert: %1</translation>
    </message>
    <message>
        <source>holesail command copied (it holds the secret, not shown).</source>
        <translation>holesail-kommando kopiert (den inneholder hemmeligheten, vises ikke).</translation>
    </message>
    <message>
        <source>holesail command copied: %1</source>
        <translation>holesail-kommando kopiert: %1</translation>
    </message>
    <message>
        <source>This share&apos;s link is secret: use Copy key to copy it.</source>
        <translation>Lenken til denne delingen er hemmelig: bruk Kopier nøkkel for å kopiere den.</translation>
    </message>
    <message>
        <source>Key copied: %1</source>
        <translation>Nøkkel kopiert: %1</translation>
    </message>
    <message>
        <source>Address copied: %1</source>
        <translation>Adresse kopiert: %1</translation>
    </message>
    <message>
        <source>Copy a secret link</source>
        <translation>Kopier en hemmelig lenke</translation>
    </message>
    <message>
        <source>This link is the share&apos;s secret: anyone who has it can reach your service. Send it only to your friend, over a private channel, and never post it.</source>
        <translation>Denne lenken er delingens hemmelighet: alle som har den, kan nå tjenesten din. Send den bare til vennen din, over en privat kanal, og publiser den aldri.</translation>
    </message>
    <message>
        <source>Copy secret</source>
        <translation>Kopier hemmeligheten</translation>
    </message>
    <message>
        <source>Secret link copied (not shown).</source>
        <translation>Hemmelig lenke kopiert (vises ikke).</translation>
    </message>
    <message>
        <source>Nothing shared yet. Click “Share port…” to let a friend reach a service on this computer.</source>
        <translation>Ingenting er delt ennå. Klikk «Del port…» for å la en venn nå en tjeneste på denne datamaskinen.</translation>
    </message>
    <message>
        <source>No connections yet. Click “Connect…” and paste the key or link a friend sent you.</source>
        <translation>Ingen tilkoblinger ennå. Klikk «Koble til…» og lim inn nøkkelen eller lenken en venn sendte deg.</translation>
    </message>
    <message numerus="yes">
        <source>Quitting stops sharing %n port(s) and closes every tunnel; friends cannot reach your services until PeerPort runs again.</source>
        <translation>
            <numerusform>Å avslutte stopper delingen av %n port og lukker alle tunneler; venner kan ikke nå tjenestene dine før PeerPort kjører igjen.</numerusform>
            <numerusform>Å avslutte stopper delingen av %n porter og lukker alle tunneler; venner kan ikke nå tjenestene dine før PeerPort kjører igjen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The people you share with: their keys and names (Ctrl+L)</source>
        <translation>Personene du deler med: nøklene og navnene deres (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation>&amp;Min nøkkel…</translation>
    </message>
    <message>
        <source>Your key, for friends whose shares admit only listed friends</source>
        <translation>Nøkkelen din, for venner med delinger som bare slipper inn venner på listen</translation>
    </message>
    <message>
        <source>Copy co&amp;mmand</source>
        <translation>Kopier ko&amp;mmando</translation>
    </message>
    <message>
        <source>Copy a command for hypertele or holesail that reaches this share</source>
        <translation>Kopier en hypertele- eller holesail-kommando som når denne delingen</translation>
    </message>
    <message>
        <source>hypertele command</source>
        <translation>hypertele-kommando</translation>
    </message>
    <message>
        <source>holesail command</source>
        <translation>holesail-kommando</translation>
    </message>
    <message>
        <source>&amp;People…</source>
        <translation>&amp;Personer…</translation>
    </message>
    <message>
        <source>Who is connected to this share, and who was refused</source>
        <translation>Hvem som er koblet til denne delingen, og hvem som ble avvist</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>R&amp;ediger…</translation>
    </message>
    <message>
        <source>Change this share&apos;s name, port or access; friends keep its key</source>
        <translation>Endre delingens navn, port eller tilgang; vennene beholder nøkkelen</translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation>Nøkkelen til %1</translation>
    </message>
    <message>
        <source>Stop sharing %1 and remove it? Friends will no longer reach it with this key.</source>
        <translation>Slutte å dele %1 og fjerne den? Venner når den ikke lenger med denne nøkkelen.</translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation>Red&amp;iger…</translation>
    </message>
    <message>
        <source>Rename this connection or move it to another local port</source>
        <translation>Gi tilkoblingen nytt navn eller flytt den til en annen lokal port</translation>
    </message>
    <message>
        <source>Share %1</source>
        <translation>Deling %1</translation>
    </message>
</context>
<context>
    <name>PeerPort::MyKeyDialog</name>
    <message>
        <source>My key</source>
        <translation>Min nøkkel</translation>
    </message>
    <message>
        <source>Send this key to a friend whose share admits only listed friends. They add you under Friends and pick you in the share&apos;s allow-list. It is not a secret: it lets nobody in by itself.</source>
        <translation>Send denne nøkkelen til en venn med en deling som bare slipper inn venner på listen. De legger deg til under Venner og velger deg i delingens tillatelsesliste. Den er ikke hemmelig: den slipper ingen inn alene.</translation>
    </message>
    <message>
        <source>Your identity key (public)</source>
        <translation>Identitetsnøkkelen din (offentlig)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopier</translation>
    </message>
    <message>
        <source>Copy your key to the clipboard</source>
        <translation>Kopier nøkkelen din til utklippstavlen</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>QR code of your key</source>
        <translation>QR-kode av nøkkelen din</translation>
    </message>
    <message>
        <source>Or let your friend scan this with a phone&apos;s camera and pass the text on.</source>
        <translation>Eller la vennen skanne denne med mobilkameraet og sende teksten videre.</translation>
    </message>
</context>
<context>
    <name>PeerPort::PeersDialog</name>
    <message>
        <source>People on %1</source>
        <translation>Personer på %1</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>Venn</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Tilkoblet siden</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Nøkkel</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Siste forsøk</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Forsøk</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Slipp inn</translation>
    </message>
    <message>
        <source>Add this key to the share&apos;s allow-list; the share restarts with it</source>
        <translation>Legg nøkkelen til delingens tillatelsesliste; delingen starter på nytt med den</translation>
    </message>
    <message>
        <source>&amp;Copy key</source>
        <translation>&amp;Kopier nøkkel</translation>
    </message>
    <message>
        <source>Copy the refused key, to name it in Friends or send it back</source>
        <translation>Kopier den avviste nøkkelen, for å gi den navn i Venner eller sende den tilbake</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Connected now</source>
        <translation>Tilkoblet nå</translation>
    </message>
    <message>
        <source>Refused attempts (not on the allow-list)</source>
        <translation>Avviste forsøk (ikke på tillatelseslisten)</translation>
    </message>
    <message>
        <source>Anyone with the key may connect to this share: make it an allow-list share (Edit…) to choose who may</source>
        <translation>Alle med nøkkelen kan koble til denne delingen: gjør den til en deling med tillatelsesliste (Rediger…) for å velge hvem</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Vei</translation>
    </message>
    <message>
        <source>&amp;Name…</source>
        <translation>&amp;Navngi…</translation>
    </message>
    <message>
        <source>Add this key to Friends under a name</source>
        <translation>Legg nøkkelen til i Venner med et navn</translation>
    </message>
    <message>
        <source>Name a friend</source>
        <translation>Navngi en venn</translation>
    </message>
    <message>
        <source>Name for %1:</source>
        <translation>Navn på %1:</translation>
    </message>
    <message>
        <source>relayed</source>
        <translation>via relé</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>direkte</translation>
    </message>
    <message>
        <source>Sent / received</source>
        <translation>Sendt / mottatt</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Hastighet</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Koble fra</translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels now; the share keeps running, and they may connect again</source>
        <translation>Avslutt vennens tunneler nå; delingen fortsetter, og vennen kan koble til igjen</translation>
    </message>
    <message>
        <source>Disconnect and &amp;block</source>
        <translation>Koble fra og &amp;blokker</translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels and take them off the allow-list; the share keeps running for everyone else</source>
        <translation>Avslutt vennens tunneler og ta vennen av tillatelseslisten; delingen fortsetter for alle andre</translation>
    </message>
    <message>
        <source>Disconnect and block</source>
        <translation>Koble fra og blokker</translation>
    </message>
    <message>
        <source>This is the only friend on the allow-list. Use Disconnect, remove the share, or add someone else first.</source>
        <translation>Dette er den eneste vennen på tillatelseslisten. Bruk Koble fra, fjern delingen, eller legg til noen andre først.</translation>
    </message>
    <message numerus="yes">
        <source>%n tunnel(s) open</source>
        <translation>
            <numerusform>%n tunnel åpen</numerusform>
            <numerusform>%n tunneler åpne</numerusform>
        </translation>
    </message>
    <message>
        <source>Round-trip time %1 ms</source>
        <translation>Tur-retur-tid %1 ms</translation>
    </message>
</context>
<context>
    <name>PeerPort::QrDialog</name>
    <message>
        <source>QR code of %1</source>
        <translation>QR-kode for %1</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>&amp;Kopier lenke</translation>
    </message>
    <message>
        <source>Copy the link to the clipboard</source>
        <translation>Kopier lenken til utklippstavlen</translation>
    </message>
    <message>
        <source>Your friend can scan this with a phone&apos;s camera and send the link to their computer, or you can send the link below; they paste it in PeerPort&apos;s Connect dialog:</source>
        <translation>Vennen kan skanne denne med mobilkameraet og sende lenken til datamaskinen sin, eller du kan sende lenken nedenfor; de limer den inn i PeerPorts Koble til-dialog:</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>PeerPort::SecretStore</name>
    <message>
        <source>The keychain is not used in this session.</source>
        <translation>Nøkkelringen brukes ikke i denne økten.</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 seconds (it may be locked).</source>
        <translation>Systemets nøkkelring svarte ikke innen %1 sekunder (den kan være låst).</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1).</source>
        <translation>Systemets nøkkelring er ikke tilgjengelig (%1).</translation>
    </message>
    <message>
        <source>The system keychain stopped answering.</source>
        <translation>Systemets nøkkelring sluttet å svare.</translation>
    </message>
    <message>
        <source>The system keychain refused to store the key (%1).</source>
        <translation>Systemets nøkkelring nektet å lagre nøkkelen (%1).</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Kan ikke skrive %1: %2</translation>
    </message>
    <message>
        <source>You cancelled the keychain prompt, so PeerPort keeps its key in a file instead.</source>
        <translation>Du avbrøt spørsmålet fra nøkkelringen, så PeerPort holder nøkkelen i en fil i stedet.</translation>
    </message>
    <message>
        <source>Your private key is stored in %1, readable only by you. To move it into the keychain (for example GNOME Keyring or KWallet), unlock it and choose Retry keychain.</source>
        <translation>Den private nøkkelen din er lagret i %1, som bare du kan lese. For å flytte den til nøkkelringen (for eksempel GNOME Keyring eller KWallet), lås den opp og velg Prøv nøkkelringen igjen.</translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation>Kan ikke erstatte %1: %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::SettingsDialog</name>
    <message>
        <source>System language</source>
        <translation>Systemets språk</translation>
    </message>
    <message>
        <source>PeerPort settings</source>
        <translation>PeerPort-innstillinger</translation>
    </message>
    <message>
        <source>public HyperDHT network</source>
        <translation>offentlig HyperDHT-nettverk</translation>
    </message>
    <message>
        <source>Bootstrap nodes as host:port, comma-separated; empty for the public network; &quot;none&quot; for a private network of your own</source>
        <translation>Oppstartsnoder som vert:port, kommaseparert; tomt for det offentlige nettverket; «none» for ditt eget private nettverk</translation>
    </message>
    <message>
        <source>Use &amp;relays when a direct connection is impossible</source>
        <translation>Bruk &amp;reléer når en direkte tilkobling er umulig</translation>
    </message>
    <message>
        <source>Relayed traffic stays end-to-end encrypted but passes through another peer</source>
        <translation>Trafikk via relé forblir ende-til-ende-kryptert, men går gjennom en annen maskin</translation>
    </message>
    <message>
        <source>relays announced on the DHT</source>
        <translation>reléer kunngjort i DHT-en</translation>
    </message>
    <message>
        <source>Keys of relays to try first, comma-separated (hex, z32 or peerport://)</source>
        <translation>Nøkler til reléer som prøves først, kommaseparert (hex, z32 eller peerport://)</translation>
    </message>
    <message>
        <source>Relay &amp;for others (for a computer with a public address)</source>
        <translation>Vær relé &amp;for andre (for en datamaskin med offentlig adresse)</translation>
    </message>
    <message>
        <source>Helps peers behind strict NATs reach each other; they stay end-to-end encrypted, this computer only passes their packets on</source>
        <translation>Hjelper noder bak strenge NAT-er å nå hverandre; trafikken forblir ende-til-ende-kryptert, denne datamaskinen sender bare pakkene videre</translation>
    </message>
    <message>
        <source>Relay &amp;keys:</source>
        <translation>Relé&amp;nøkler:</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Nettverk</translation>
    </message>
    <message>
        <source>&amp;Bootstrap nodes:</source>
        <translation>&amp;Oppstartsnoder:</translation>
    </message>
    <message>
        <source>Start PeerPort when I &amp;log in</source>
        <translation>Start PeerPort når jeg &amp;logger inn</translation>
    </message>
    <message>
        <source>Adds PeerPort to your desktop&apos;s startup programs (%1)</source>
        <translation>Legger PeerPort til skrivebordets oppstartsprogrammer (%1)</translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation>Start &amp;minimert til systemkurven</translation>
    </message>
    <message>
        <source>Keep sharing without opening the window at start</source>
        <translation>Fortsett å dele uten å åpne vinduet ved oppstart</translation>
    </message>
    <message>
        <source>Show a desktop notification when someone connects to one of your shares</source>
        <translation>Vis et skrivebordsvarsel når noen kobler til en av delingene dine</translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation>Skrivebord</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Språk:</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identitet</translation>
    </message>
    <message>
        <source>Your public key: friends add it to a share&apos;s allow-list to let you in</source>
        <translation>Den offentlige nøkkelen din: venner legger den til i en delings tillatelsesliste for å slippe deg inn</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopier</translation>
    </message>
    <message>
        <source>Copy your public key</source>
        <translation>Kopier den offentlige nøkkelen din</translation>
    </message>
    <message>
        <source>The private key is kept in the system keychain.</source>
        <translation>Den private nøkkelen oppbevares i systemets nøkkelring.</translation>
    </message>
    <message>
        <source>%1 (from PEERPORT_BOOTSTRAP)</source>
        <translation>%1 (fra PEERPORT_BOOTSTRAP)</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>The language of PeerPort&apos;s windows; it changes when you press OK</source>
        <translation>Språket i PeerPorts vinduer; det endres når du trykker OK</translation>
    </message>
    <message>
        <source>A friend &amp;connects to one of my shares</source>
        <translation>En venn &amp;kobler til en av delingene mine</translation>
    </message>
    <message>
        <source>Someone is &amp;refused (by my share, or a friend&apos;s share refuses me)</source>
        <translation>Noen blir &amp;avvist (av min deling, eller en venns deling avviser meg)</translation>
    </message>
    <message>
        <source>A share of yours turned away a key that is not on its allow-list, or a friend&apos;s share does not admit this computer</source>
        <translation>En av delingene dine avviste en nøkkel som ikke er på tillatelseslisten, eller en venns deling slipper ikke inn denne datamaskinen</translation>
    </message>
    <message>
        <source>A shared &amp;service stops answering</source>
        <translation>En delt &amp;tjeneste slutter å svare</translation>
    </message>
    <message>
        <source>Friends reach the share, but nothing accepts connections on its local port</source>
        <translation>Venner når delingen, men ingenting tar imot tilkoblinger på den lokale porten</translation>
    </message>
    <message>
        <source>A local &amp;port is taken by another program</source>
        <translation>En lokal &amp;port brukes av et annet program</translation>
    </message>
    <message>
        <source>A connection cannot open its local port because another program uses it</source>
        <translation>En tilkobling kan ikke åpne den lokale porten fordi et annet program bruker den</translation>
    </message>
    <message>
        <source>A connection goes only through a &amp;relay</source>
        <translation>En tilkobling går bare via et &amp;relé</translation>
    </message>
    <message>
        <source>No direct path could be made; traffic stays encrypted but is slower</source>
        <translation>Ingen direkte vei kunne lages; trafikken er fortsatt kryptert, men tregere</translation>
    </message>
    <message>
        <source>Notify me when</source>
        <translation>Varsle meg når</translation>
    </message>
    <message>
        <source>QR code…</source>
        <translation>QR-kode…</translation>
    </message>
    <message>
        <source>Show your key as a QR code</source>
        <translation>Vis nøkkelen din som QR-kode</translation>
    </message>
</context>
<context>
    <name>PeerPort::ShareDialog</name>
    <message>
        <source>Share a port</source>
        <translation>Del en port</translation>
    </message>
    <message>
        <source>for example 8080</source>
        <translation>for eksempel 8080</translation>
    </message>
    <message>
        <source>The port of the local service to share, 1 to 65535</source>
        <translation>Porten til den lokale tjenesten som skal deles, 1 til 65535</translation>
    </message>
    <message>
        <source>Where the service runs; 127.0.0.1 is this computer</source>
        <translation>Der tjenesten kjører; 127.0.0.1 er denne datamaskinen</translation>
    </message>
    <message>
        <source>TCP for web, SSH, databases; UDP for games and voice</source>
        <translation>TCP for nett, SSH, databaser; UDP for spill og tale</translation>
    </message>
    <message>
        <source>Public: anyone with the key</source>
        <translation>Offentlig: alle som har nøkkelen</translation>
    </message>
    <message>
        <source>Allow-list: only the friends listed below</source>
        <translation>Tillatelsesliste: bare vennene nedenfor</translation>
    </message>
    <message>
        <source>Private: the link itself is the secret</source>
        <translation>Privat: selve lenken er hemmeligheten</translation>
    </message>
    <message>
        <source>Who may connect to this share</source>
        <translation>Hvem som kan koble til denne delingen</translation>
    </message>
    <message>
        <source>Friends allowed to connect</source>
        <translation>Venner som får koble til</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Legg til</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>F&amp;jern</translation>
    </message>
    <message>
        <source>Remove the selected key from the allow-list</source>
        <translation>Fjern den valgte nøkkelen fra tillatelseslisten</translation>
    </message>
    <message>
        <source>&amp;Share</source>
        <translation>&amp;Del</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Vert:</translation>
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation>P&amp;rotokoll:</translation>
    </message>
    <message>
        <source>&amp;Access:</source>
        <translation>&amp;Tilgang:</translation>
    </message>
    <message>
        <source>Allo&amp;wed:</source>
        <translation>Till&amp;att:</translation>
    </message>
    <message>
        <source>Anyone who has the key can connect.</source>
        <translation>Alle som har nøkkelen kan koble til.</translation>
    </message>
    <message>
        <source>Only the keys listed below can connect; others are refused.</source>
        <translation>Bare nøklene nedenfor kan koble til; andre avvises.</translation>
    </message>
    <message>
        <source>A secret hs://s000 link is made; whoever has it can connect. Share it privately.</source>
        <translation>Det lages en hemmelig hs://s000-lenke; den som har den kan koble til. Del den privat.</translation>
    </message>
    <message>
        <source>Enter the port of the service to share.</source>
        <translation>Skriv inn porten til tjenesten som skal deles.</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>Porten må være et tall fra 1 til 65535.</translation>
    </message>
    <message>
        <source>Enter the host the service runs on, usually 127.0.0.1.</source>
        <translation>Skriv inn verten tjenesten kjører på, vanligvis 127.0.0.1.</translation>
    </message>
    <message>
        <source>“%1” is not an IP address or host name.</source>
        <translation>«%1» er ikke en IP-adresse eller et vertsnavn.</translation>
    </message>
    <message>
        <source>Add at least one friend&apos;s key to the allow-list.</source>
        <translation>Legg minst én venns nøkkel til i tillatelseslisten.</translation>
    </message>
    <message>
        <source>Nothing is listening on %1:%2 right now. You can share it anyway; friends will reach it once the service runs.</source>
        <translation>Ingenting lytter på %1:%2 akkurat nå. Du kan dele den likevel; venner når den så snart tjenesten kjører.</translation>
    </message>
    <message>
        <source>optional, for example “Minecraft”</source>
        <translation>valgfritt, for eksempel «Minecraft»</translation>
    </message>
    <message>
        <source>Your own name for this share, shown in the list and in notifications</source>
        <translation>Ditt eget navn på delingen, vist i listen og i varsler</translation>
    </message>
    <message>
        <source>Pick a friend or paste a key</source>
        <translation>Velg en venn eller lim inn en nøkkel</translation>
    </message>
    <message>
        <source>Pick a friend from the list, or paste the key a friend sent from “My key”, and press Add</source>
        <translation>Velg en venn fra listen, eller lim inn nøkkelen en venn sendte fra «Min nøkkel», og trykk Legg til</translation>
    </message>
    <message>
        <source>Add this friend to the allow-list</source>
        <translation>Legg vennen til tillatelseslisten</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Navn:</translation>
    </message>
    <message>
        <source>Edit share</source>
        <translation>Rediger deling</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lagre</translation>
    </message>
    <message>
        <source>Changing the access to or from Private gives the share a new key: send it to your friends again.</source>
        <translation>Å endre tilgangen til eller fra Privat gir delingen en ny nøkkel: send den til vennene dine på nytt.</translation>
    </message>
</context>
<context>
    <name>PeerPort::SharesModel</name>
    <message>
        <source>Service</source>
        <translation>Tjeneste</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Tilgang</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Nøkkel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Venner</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Hastighet</translation>
    </message>
    <message>
        <source>Who may connect: anyone with the key, listed friends, or holders of a secret</source>
        <translation>Hvem som kan koble til: alle med nøkkelen, listede venner eller de som har en hemmelighet</translation>
    </message>
    <message>
        <source>The key to give your friend; click the copy icon to copy it</source>
        <translation>Nøkkelen du gir vennen din; klikk kopier-ikonet for å kopiere den</translation>
    </message>
    <message>
        <source>Whether the share is published on the network</source>
        <translation>Om delingen er publisert på nettverket</translation>
    </message>
    <message>
        <source>Friends connected now</source>
        <translation>Venner tilkoblet nå</translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation>Nåværende opplastings- og nedlastingshastighet</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stoppet</translation>
    </message>
    <message>
        <source>Announcing…</source>
        <translation>Kunngjør…</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Lytter</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Feil: %1</translation>
    </message>
    <message>
        <source>secret link</source>
        <translation>hemmelig lenke</translation>
    </message>
    <message>
        <source>Nobody connected</source>
        <translation>Ingen tilkoblet</translation>
    </message>
    <message>
        <source>Up (to friends) and down (from friends)</source>
        <translation>Opp (til venner) og ned (fra venner)</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>Tjenesten svarer ikke</translation>
    </message>
    <message numerus="yes">
        <source>Listening, refused %n key(s)</source>
        <translation>
            <numerusform>Lytter, avviste %n nøkkel</numerusform>
            <numerusform>Lytter, avviste %n nøkler</numerusform>
        </translation>
    </message>
    <message>
        <source>The secret link is hidden. Use Copy key to copy it for a friend.</source>
        <translation>Den hemmelige lenken er skjult. Bruk Kopier nøkkel for å kopiere den til en venn.</translation>
    </message>
    <message>
        <source>Click to copy the key</source>
        <translation>Klikk for å kopiere nøkkelen</translation>
    </message>
    <message>
        <source>Nothing accepts connections on %1.</source>
        <translation>Ingenting tar imot tilkoblinger på %1.</translation>
    </message>
    <message numerus="yes">
        <source>Refused %1 at %2 (%n attempt(s)): not on the allow-list</source>
        <translation>
            <numerusform>Avviste %1 kl. %2 (%n forsøk): ikke på tillatelseslisten</numerusform>
            <numerusform>Avviste %1 kl. %2 (%n forsøk): ikke på tillatelseslisten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, since %2</source>
        <translation>%1, siden %2</translation>
    </message>
    <message>
        <source>The share&apos;s name and the local service friends reach: host:port and protocol</source>
        <translation>Delingens navn og den lokale tjenesten venner når: vert:port og protokoll</translation>
    </message>
    <message>
        <source>%1 (%2), access: %3</source>
        <translation>%1 (%2), tilgang: %3</translation>
    </message>
</context>
<context>
    <name>PeerPort::ThroughputChart</name>
    <message>
        <source>Throughput chart</source>
        <translation>Overføringsdiagram</translation>
    </message>
    <message>
        <source>Upload and download over the last 60 seconds; select a row to see only that share or connection</source>
        <translation>Opplasting og nedlasting de siste 60 sekundene; velg en rad for å se bare den delingen eller tilkoblingen</translation>
    </message>
    <message>
        <source>60 s ago</source>
        <translation>60 s siden</translation>
    </message>
    <message>
        <source>now</source>
        <translation>nå</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>All trafikk</translation>
    </message>
    <message>
        <source>↑ up %1   ↓ down %2</source>
        <translation>↑ opp %1   ↓ ned %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::TrayIcon</name>
    <message>
        <source>Paused</source>
        <translation>Pauset</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Totalt: %1</translation>
    </message>
    <message>
        <source>Sent %1, received %2</source>
        <translation>Sendt %1, mottatt %2</translation>
    </message>
    <message>
        <source>&amp;Show PeerPort</source>
        <translation>&amp;Vis PeerPort</translation>
    </message>
    <message>
        <source>S&amp;hares</source>
        <translation>&amp;Delinger</translation>
    </message>
    <message>
        <source>No shared ports</source>
        <translation>Ingen delte porter</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>&amp;Tilkoblinger</translation>
    </message>
    <message>
        <source>No connections</source>
        <translation>Ingen tilkoblinger</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pause alt</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Avslutt</translation>
    </message>
    <message numerus="yes">
        <source>PeerPort: sharing %n port(s)</source>
        <translation>
            <numerusform>PeerPort: deler %n port</numerusform>
            <numerusform>PeerPort: deler %n porter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n friend(s) connected to your shares</source>
        <translation>
            <numerusform>%n venn koblet til delingene dine</numerusform>
            <numerusform>%n venner koblet til delingene dine</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n friend&apos;s share(s) online</source>
        <translation>
            <numerusform>%1 av %n venns deling tilkoblet</numerusform>
            <numerusform>%1 av %n venners delinger tilkoblet</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lagre</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Åpne</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Lukk</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Bruk</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Tilbakestill</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Hjelp</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Forkast</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Ja</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Nei</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Prøv igjen</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Gjenopprett standard</translation>
    </message>
</context>
</TS>
