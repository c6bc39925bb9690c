<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ErrorText</name>
    <message>
        <source>Invalid key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Announce failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste the whole key or link your friend sent (64 hex characters, a z32 key, an hs:// or peerport:// link).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A port or host cannot be used. Check that the port is between 1 and 65535 and the host is an address of this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local port is already taken by another program. Choose another port or leave it empty to pick a free one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is sharing under this key right now. Ask your friend to check that PeerPort is running and the port is shared; PeerPort keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend was found but the connection could not be made or was refused. If the share uses an allow-list, ask to be added; otherwise try again or enable relays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared service is not answering on this computer. Start the program that should listen on that port, or share the right port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No HyperDHT node answered. Check your internet connection or the bootstrap nodes in Settings; PeerPort keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share could not be published on the network, so friends cannot find it yet. Check your connection; PeerPort retries automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong inside PeerPort. Stop and start the item again; if it keeps happening, please report it with the details below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This network lets the internet through but blocks UDP, which PeerPort needs to reach anyone. Try another network (a phone hotspot, for example) or ask its administrator; PeerPort keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed by friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friend stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed when idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend&apos;s side closed the tunnel: their PeerPort stopped, or the shared program closed the connection. PeerPort opens a new one when a program connects again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend stopped answering: their computer went offline, or one of your networks changed. PeerPort opens a new tunnel when a program connects again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was sent either way for a while, so the tunnel was closed to free it. PeerPort opens a new one as soon as there is traffic again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::AppController</name>
    <message>
        <source>%1:%2 is already shared.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::Autostart</name>
    <message>
        <source>Cannot remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectDialog</name>
    <message>
        <source>Connect to a friend&apos;s share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the key or link your friend sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted: 64 hex characters, a z32 key, hs://0000…, hs://s000… or a peerport:// link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic (a free port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port on this computer where the friend&apos;s service appears; leave empty to pick a free one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, for example “Alice&apos;s web server”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Local port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the key your friend sent you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local port must be a number from 1 to 65535, or empty for a free one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 is in use on this computer. Choose another or leave it empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name for this connection, shown in the list and in notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To reach another key, make a new connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectionsModel</name>
    <message>
        <source>Local port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the friend&apos;s service appears on this computer; click to copy localhost:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the tunnel is doing: direct, relayed, retrying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round-trip time to the friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friend offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Punching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relayed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tunnel is open through a relay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A direct tunnel is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online. A tunnel opens when a program connects to the local port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend&apos;s share was online earlier and is not on the network now (paused, quit or offline). PeerPort checks again every 30 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online but did not admit this computer: it admits only the friends on its allow-list (or it stopped just now). Send your key (Settings → Identity) and ask to be added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to copy localhost:%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up (to the friend) and down (from the friend)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection&apos;s name (Edit… renames it), or a short key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tunnel to the friend&apos;s share now, so no rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::DesktopApp</name>
    <message>
        <source>A friend connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connected to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to reach %2 and is not on its allow-list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing answers on %1: friends reach the share but not the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of %1 does not admit this computer. Send your key (My key…) and ask to be added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: local port %2 is taken by another program. Edit the connection to pick another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the local port is taken by another program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relayed connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 goes through a relay: no direct path could be made. It stays encrypted, but is slower.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::Format</name>
    <message>
        <source>Public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow-list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open (no NAT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>consistent NAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random NAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>firewalled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::FriendsDialog</name>
    <message>
        <source>Friends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a friend by key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A friend is a person: the key they send from “My key” and a name for them. Shares with an allow-list pick friends from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a name to rename the friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget the selected friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own key, to send to friends: copy it or show a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friend&apos;s key (from their “My key”):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::KeyText</name>
    <message>
        <source>Paste the key or link your friend sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link is incomplete or damaged. Copy the whole link again from your friend&apos;s message; PeerPort accepts 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::MainWindow</name>
    <message>
        <source>&amp;Retry keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the system keychain again and move the key there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this message; PeerPort keeps the key in the file and stops asking the keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The HyperDHT network: nodes known and whether we are bootstrapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the network sees this computer: NAT type and public address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total rate and bytes, all shares and connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network engine could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Share port…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share a local port with friends (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reach a friend&apos;s shared port by key (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Friends…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network, language, start at login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop every share and connection until you resume (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About PeerPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PeerPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the key (or private link) for your friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the link as a QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as &amp;hypertele</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a hypertele command that reaches this share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as h&amp;olesail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a holesail command that reaches this share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop or start sharing this port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop sharing and remove this port from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hypertele command copied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holesail command copied (it holds the secret, not shown).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holesail command copied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This share&apos;s link is secret: use Copy key to copy it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key copied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy localhost:port, where the friend&apos;s service is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in &amp;browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open http://localhost:port in your web browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disco&amp;nnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close or reopen this connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect and remove this connection from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address copied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reco&amp;nnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHT: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHT: not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapped, %n node(s)</source>
        <translation>
            <numerusform>DHT: bootstrapped, %n node</numerusform>
            <numerusform>DHT: bootstrapped, %n nodes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapping, %n node(s)</source>
        <translation>
            <numerusform>DHT: bootstrapping, %n node</numerusform>
            <numerusform>DHT: bootstrapping, %n nodes</numerusform>
        </translation>
    </message>
    <message>
        <source>NAT: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAT: %1, public %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1   total ↑ %2 ↓ %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a secret link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link is the share&apos;s secret: anyone who has it can reach your service. Send it only to your friend, over a private channel, and never post it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret link copied (not shown).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing shared yet. Click “Share port…” to let a friend reach a service on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connections yet. Click “Connect…” and paste the key or link a friend sent you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit PeerPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Quitting stops sharing %n port(s) and closes every tunnel; friends cannot reach your services until PeerPort runs again.</source>
        <translation>
            <numerusform>Quitting stops sharing %n port and closes every tunnel; friends cannot reach your services until PeerPort runs again.</numerusform>
            <numerusform>Quitting stops sharing %n ports and closes every tunnel; friends cannot reach your services until PeerPort runs again.</numerusform>
        </translation>
    </message>
    <message>
        <source>About PeerPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share a local port with a friend, peer to peer, over HyperDHT. End-to-end encrypted; no server in the middle.&lt;br&gt;&lt;br&gt;Licensed under the GNU GPL, version 3 or later. Built with Qt %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PeerPort keeps running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PeerPort keeps sharing in the background. Use the tray icon to open the window again, or choose Quit from its menu to stop sharing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no system tray here, so closing the window quits PeerPort and stops every share and connection. Quit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit PeerPort?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The people you share with: their keys and names (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your key, for friends whose shares admit only listed friends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy co&amp;mmand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy a command for hypertele or holesail that reaches this share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hypertele command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holesail command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;People…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is connected to this share, and who was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change this share&apos;s name, port or access; friends keep its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop sharing %1 and remove it? Friends will no longer reach it with this key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename this connection or move it to another local port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relay key copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relaying for others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer relays for peers that cannot reach each other directly (they stay end-to-end encrypted). Its relay key, which they name with --relay: %1. Click to copy it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::MyKeyDialog</name>
    <message>
        <source>My key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this key to a friend whose share admits only listed friends. They add you under Friends and pick you in the share&apos;s allow-list. It is not a secret: it lets nobody in by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your identity key (public)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy your key to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QR code of your key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or let your friend scan this with a phone&apos;s camera and pass the text on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::PeersDialog</name>
    <message>
        <source>People on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add this key to the share&apos;s allow-list; the share restarts with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the refused key, to name it in Friends or send it back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused attempts (not on the allow-list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone with the key may connect to this share: make it an allow-list share (Edit…) to choose who may</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add this key to Friends under a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name a friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relayed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent / received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels now; the share keeps running, and they may connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect and &amp;block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels and take them off the allow-list; the share keeps running for everyone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect and block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the only friend on the allow-list. Use Disconnect, remove the share, or add someone else first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tunnel(s) open</source>
        <translation>
            <numerusform>%n tunnel open</numerusform>
            <numerusform>%n tunnels open</numerusform>
        </translation>
    </message>
    <message>
        <source>Round-trip time %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::QrDialog</name>
    <message>
        <source>QR code of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the link to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your friend can scan this with a phone&apos;s camera and send the link to their computer, or you can send the link below; they paste it in PeerPort&apos;s Connect dialog:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::SecretStore</name>
    <message>
        <source>The keychain is not used in this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 seconds (it may be locked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You cancelled the keychain prompt, so PeerPort keeps its key in a file instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain is not available (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your private key is stored in %1, readable only by you. To move it into the keychain (for example GNOME Keyring or KWallet), unlock it and choose Retry keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain refused to store the key (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::SettingsDialog</name>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PeerPort settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>public HyperDHT network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (from PEERPORT_BOOTSTRAP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bootstrap nodes as host:port, comma-separated; empty for the public network; &quot;none&quot; for a private network of your own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use &amp;relays when a direct connection is impossible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relayed traffic stays end-to-end encrypted but passes through another peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relays announced on the DHT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys of relays to try first, comma-separated (hex, z32 or peerport://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relay &amp;for others (for a computer with a public address)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helps peers behind strict NATs reach each other; they stay end-to-end encrypted, this computer only passes their packets on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bootstrap nodes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relay &amp;keys:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start PeerPort when I &amp;log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds PeerPort to your desktop&apos;s startup programs (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep sharing without opening the window at start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a desktop notification when someone connects to one of your shares</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your public key: friends add it to a share&apos;s allow-list to let you in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy your public key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The private key is kept in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of PeerPort&apos;s windows; it changes when you press OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A friend &amp;connects to one of my shares</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone is &amp;refused (by my share, or a friend&apos;s share refuses me)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A share of yours turned away a key that is not on its allow-list, or a friend&apos;s share does not admit this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A shared &amp;service stops answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friends reach the share, but nothing accepts connections on its local port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A local &amp;port is taken by another program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection cannot open its local port because another program uses it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection goes only through a &amp;relay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No direct path could be made; traffic stays encrypted but is slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notify me when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show your key as a QR code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::ShareDialog</name>
    <message>
        <source>Share a port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example 8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port of the local service to share, 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the service runs; 127.0.0.1 is this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP for web, SSH, databases; UDP for games and voice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public: anyone with the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow-list: only the friends listed below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private: the link itself is the secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may connect to this share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friends allowed to connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected key from the allow-list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Access:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allo&amp;wed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone who has the key can connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the keys listed below can connect; others are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret hs://s000 link is made; whoever has it can connect. Share it privately.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the port of the service to share.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the host the service runs on, usually 127.0.0.1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an IP address or host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one friend&apos;s key to the allow-list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is listening on %1:%2 right now. You can share it anyway; friends will reach it once the service runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, for example “Minecraft”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own name for this share, shown in the list and in notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a friend or paste a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a friend from the list, or paste the key a friend sent from “My key”, and press Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add this friend to the allow-list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the access to or from Private gives the share a new key: send it to your friends again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::SharesModel</name>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may connect: anyone with the key, listed friends, or holders of a secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key to give your friend; click the copy icon to copy it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whether the share is published on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friends connected now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Announcing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service down</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Listening, refused %n key(s)</source>
        <translation>
            <numerusform>Listening, refused %n key</numerusform>
            <numerusform>Listening, refused %n keys</numerusform>
        </translation>
    </message>
    <message>
        <source>Listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>secret link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret link is hidden. Use Copy key to copy it for a friend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to copy the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing accepts connections on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Refused %1 at %2 (%n attempt(s)): not on the allow-list</source>
        <translation>
            <numerusform>Refused %1 at %2 (%n attempt): not on the allow-list</numerusform>
            <numerusform>Refused %1 at %2 (%n attempts): not on the allow-list</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up (to friends) and down (from friends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share&apos;s name and the local service friends reach: host:port and protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2), access: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::ThroughputChart</name>
    <message>
        <source>Throughput chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload and download over the last 60 seconds; select a row to see only that share or connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>60 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ up %1   ↓ down %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeerPort::TrayIcon</name>
    <message numerus="yes">
        <source>PeerPort: sharing %n port(s)</source>
        <translation>
            <numerusform>PeerPort: sharing %n port</numerusform>
            <numerusform>PeerPort: sharing %n ports</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n friend(s) connected to your shares</source>
        <translation>
            <numerusform>%n friend connected to your shares</numerusform>
            <numerusform>%n friends connected to your shares</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n friend&apos;s share(s) online</source>
        <translation>
            <numerusform>%1 of %n friend&apos;s share online</numerusform>
            <numerusform>%1 of %n friend&apos;s shares online</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent %1, received %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show PeerPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;hares</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shared ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
