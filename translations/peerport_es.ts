<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>ErrorText</name>
    <message>
        <source>Invalid key</source>
        <translation>Clave no válida</translation>
    </message>
    <message>
        <source>Invalid setting</source>
        <translation>Ajuste no válido</translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation>Puerto en uso</translation>
    </message>
    <message>
        <source>Peer not found</source>
        <translation>No se encontró al otro extremo</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Falló la conexión</translation>
    </message>
    <message>
        <source>Service unreachable</source>
        <translation>Servicio inaccesible</translation>
    </message>
    <message>
        <source>Network unreachable</source>
        <translation>Red inaccesible</translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation>UDP bloqueado</translation>
    </message>
    <message>
        <source>Announce failed</source>
        <translation>Falló el anuncio</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>Error interno</translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste the whole key or link your friend sent (64 hex characters, a z32 key, an hs:// or peerport:// link).</source>
        <translation>PeerPort no reconoce esta clave. Pega la clave o el enlace completo que te envió tu amigo (64 caracteres hexadecimales, una clave z32, un enlace hs:// o peerport://).</translation>
    </message>
    <message>
        <source>A port or host cannot be used. Check that the port is between 1 and 65535 and the host is an address of this computer.</source>
        <translation>No se puede usar un puerto o un host. Comprueba que el puerto esté entre 1 y 65535 y que el host sea una dirección de este equipo.</translation>
    </message>
    <message>
        <source>The local port is already taken by another program. Choose another port or leave it empty to pick a free one.</source>
        <translation>Otro programa ya usa el puerto local. Elige otro puerto o déjalo vacío para usar uno libre.</translation>
    </message>
    <message>
        <source>Nobody is sharing under this key right now. Ask your friend to check that PeerPort is running and the port is shared; PeerPort keeps trying.</source>
        <translation>Nadie comparte con esta clave ahora mismo. Pide a tu amigo que compruebe que PeerPort está en marcha y el puerto compartido; PeerPort sigue intentándolo.</translation>
    </message>
    <message>
        <source>Your friend was found but the connection could not be made or was refused. If the share uses an allow-list, ask to be added; otherwise try again or enable relays.</source>
        <translation>Se encontró a tu amigo, pero la conexión no se pudo establecer o fue rechazada. Si el recurso usa una lista de permitidos, pide que te añadan; si no, inténtalo de nuevo o activa los relés.</translation>
    </message>
    <message>
        <source>The shared service is not answering on this computer. Start the program that should listen on that port, or share the right port.</source>
        <translation>El servicio compartido no responde en este equipo. Inicia el programa que debe escuchar en ese puerto o comparte el puerto correcto.</translation>
    </message>
    <message>
        <source>No HyperDHT node answered. Check your internet connection or the bootstrap nodes in Settings; PeerPort keeps trying.</source>
        <translation>Ningún nodo HyperDHT respondió. Comprueba tu conexión a internet o los nodos de arranque en Ajustes; PeerPort sigue intentándolo.</translation>
    </message>
    <message>
        <source>This network lets the internet through but blocks UDP, which PeerPort needs to reach anyone. Try another network (a phone hotspot, for example) or ask its administrator; PeerPort keeps trying.</source>
        <translation>Esta red deja pasar internet pero bloquea UDP, que PeerPort necesita para llegar a nadie. Prueba otra red (por ejemplo, un punto de acceso del móvil) o pregunta a su administrador; PeerPort sigue intentándolo.</translation>
    </message>
    <message>
        <source>The share could not be published on the network, so friends cannot find it yet. Check your connection; PeerPort retries automatically.</source>
        <translation>No se pudo publicar el puerto en la red, así que tus amigos aún no lo encuentran. Comprueba tu conexión; PeerPort lo reintenta automáticamente.</translation>
    </message>
    <message>
        <source>Something went wrong inside PeerPort. Stop and start the item again; if it keeps happening, please report it with the details below.</source>
        <translation>Algo falló dentro de PeerPort. Detén e inicia el elemento de nuevo; si sigue ocurriendo, infórmanos con los detalles de abajo.</translation>
    </message>
    <message>
        <source>Closed by friend</source>
        <translation>Cerrado por tu amigo</translation>
    </message>
    <message>
        <source>Friend stopped answering</source>
        <translation>Tu amigo dejó de responder</translation>
    </message>
    <message>
        <source>Closed when idle</source>
        <translation>Cerrado por inactividad</translation>
    </message>
    <message>
        <source>Your friend&apos;s side closed the tunnel: their PeerPort stopped, or the shared program closed the connection. PeerPort opens a new one when a program connects again.</source>
        <translation>El lado de tu amigo cerró el túnel: su PeerPort se detuvo o el programa compartido cerró la conexión. PeerPort abre uno nuevo cuando un programa se conecte de nuevo.</translation>
    </message>
    <message>
        <source>Your friend stopped answering: their computer went offline, or one of your networks changed. PeerPort opens a new tunnel when a program connects again.</source>
        <translation>Tu amigo dejó de responder: su equipo se desconectó o una de vuestras redes cambió. PeerPort abre un túnel nuevo cuando un programa se conecte de nuevo.</translation>
    </message>
    <message>
        <source>Nothing was sent either way for a while, so the tunnel was closed to free it. PeerPort opens a new one as soon as there is traffic again.</source>
        <translation>No se envió nada en ningún sentido durante un rato, así que el túnel se cerró para liberarlo. PeerPort abre uno nuevo en cuanto vuelva a haber tráfico.</translation>
    </message>
</context>
<context>
    <name>PeerPort::AppController</name>
    <message>
        <source>%1:%2 is already shared.</source>
        <translation>%1:%2 ya está compartido.</translation>
    </message>
</context>
<context>
    <name>PeerPort::Autostart</name>
    <message>
        <source>Cannot remove %1</source>
        <translation>No se puede eliminar %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectDialog</name>
    <message>
        <source>Connect to a friend&apos;s share</source>
        <translation>Conectar al puerto de un amigo</translation>
    </message>
    <message>
        <source>Paste the key or link your friend sent</source>
        <translation>Pega la clave o el enlace que te envió tu amigo</translation>
    </message>
    <message>
        <source>Accepted: 64 hex characters, a z32 key, hs://0000…, hs://s000… or a peerport:// link</source>
        <translation>Se aceptan: 64 caracteres hexadecimales, una clave z32, hs://0000…, hs://s000… o un enlace peerport://</translation>
    </message>
    <message>
        <source>automatic (a free port)</source>
        <translation>automático (un puerto libre)</translation>
    </message>
    <message>
        <source>The port on this computer where the friend&apos;s service appears; leave empty to pick a free one</source>
        <translation>El puerto de este equipo donde aparece el servicio de tu amigo; déjalo vacío para usar uno libre</translation>
    </message>
    <message>
        <source>optional, for example “Alice&apos;s web server”</source>
        <translation>opcional, por ejemplo «Servidor web de Alicia»</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Conectar</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Clave:</translation>
    </message>
    <message>
        <source>&amp;Local port:</source>
        <translation>Puerto &amp;local:</translation>
    </message>
    <message>
        <source>Paste the key your friend sent you.</source>
        <translation>Pega la clave que te envió tu amigo.</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Clave %1</translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation>Clave de %1</translation>
    </message>
    <message>
        <source>The local port must be a number from 1 to 65535, or empty for a free one.</source>
        <translation>El puerto local debe ser un número de 1 a 65535, o vacío para usar uno libre.</translation>
    </message>
    <message>
        <source>Port %1 is in use on this computer. Choose another or leave it empty.</source>
        <translation>El puerto %1 está en uso en este equipo. Elige otro o déjalo vacío.</translation>
    </message>
    <message>
        <source>A name for this connection, shown in the list and in notifications</source>
        <translation>Un nombre para esta conexión, visible en la lista y en las notificaciones</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>Edit connection</source>
        <translation>Editar conexión</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>To reach another key, make a new connection</source>
        <translation>Para llegar a otra clave, crea una conexión nueva</translation>
    </message>
</context>
<context>
    <name>PeerPort::ConnectionsModel</name>
    <message>
        <source>Local port</source>
        <translation>Puerto local</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>Where the friend&apos;s service appears on this computer; click to copy localhost:port</source>
        <translation>Dónde aparece el servicio del amigo en este equipo; haz clic para copiar localhost:puerto</translation>
    </message>
    <message>
        <source>How the tunnel is doing: direct, relayed, retrying…</source>
        <translation>Cómo va el túnel: directo, por relé, reintentando…</translation>
    </message>
    <message>
        <source>Round-trip time to the friend</source>
        <translation>Tiempo de ida y vuelta hasta el amigo</translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation>Velocidad actual de subida y bajada</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>Looking up…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Punching…</source>
        <translation>Perforando NAT…</translation>
    </message>
    <message>
        <source>Direct</source>
        <translation>Directo</translation>
    </message>
    <message>
        <source>Relayed</source>
        <translation>Por relé</translation>
    </message>
    <message>
        <source>Retrying: %1</source>
        <translation>Reintentando: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
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
        <translation>Haz clic para copiar localhost:%1</translation>
    </message>
    <message>
        <source>Up (to the friend) and down (from the friend)</source>
        <translation>Subida (al amigo) y bajada (del amigo)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Friend offline</source>
        <translation>Amigo desconectado</translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation>No admitido</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>No encontrado</translation>
    </message>
    <message>
        <source>A tunnel is open through a relay.</source>
        <translation>Hay un túnel abierto a través de un relé.</translation>
    </message>
    <message>
        <source>A direct tunnel is open.</source>
        <translation>Hay un túnel directo abierto.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online. A tunnel opens when a program connects to the local port.</source>
        <translation>El recurso compartido de tu amigo está en línea. Se abre un túnel cuando un programa se conecta al puerto local.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share was online earlier and is not on the network now (paused, quit or offline). PeerPort checks again every 30 seconds.</source>
        <translation>El recurso compartido de tu amigo estuvo en línea antes y ahora no está en la red (en pausa, cerrado o sin conexión). PeerPort vuelve a comprobarlo cada 30 segundos.</translation>
    </message>
    <message>
        <source>Your friend&apos;s share is online but did not admit this computer: it admits only the friends on its allow-list (or it stopped just now). Send your key (Settings → Identity) and ask to be added.</source>
        <translation>El recurso compartido de tu amigo está en línea pero no admitió este equipo: solo admite a los amigos de su lista de permitidos (o acaba de detenerse). Envía tu clave (Ajustes → Identidad) y pide que te añadan.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>The connection&apos;s name (Edit… renames it), or a short key</source>
        <translation>El nombre de la conexión (Editar… lo cambia), o una clave corta</translation>
    </message>
    <message>
        <source>Shared by %1</source>
        <translation>Compartido por %1</translation>
    </message>
    <message>
        <source>No tunnel to the friend&apos;s share now, so no rate</source>
        <translation>Ahora no hay túnel al recurso de tu amigo, así que no hay velocidad</translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation>Código: %1</translation>
    </message>
</context>
<context>
    <name>PeerPort::DesktopApp</name>
    <message>
        <source>A friend connected</source>
        <translation>Un amigo se ha conectado</translation>
    </message>
    <message>
        <source>%1 connected to %2</source>
        <translation>%1 se conectó a %2</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>Conexión rechazada</translation>
    </message>
    <message>
        <source>%1 tried to reach %2 and is not on its allow-list</source>
        <translation>%1 intentó llegar a %2 y no está en su lista de permitidos</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>Servicio caído</translation>
    </message>
    <message>
        <source>Nothing answers on %1: friends reach the share but not the service</source>
        <translation>Nada responde en %1: los amigos llegan al recurso compartido pero no al servicio</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>The share of %1 does not admit this computer. Send your key (My key…) and ask to be added.</source>
        <translation>El recurso compartido %1 no admite este ordenador. Envía tu clave (Mi clave…) y pide que te añadan.</translation>
    </message>
    <message>
        <source>Port in use</source>
        <translation>Puerto en uso</translation>
    </message>
    <message>
        <source>%1: local port %2 is taken by another program. Edit the connection to pick another.</source>
        <translation>%1: otro programa usa el puerto local %2. Edita la conexión para elegir otro.</translation>
    </message>
    <message>
        <source>%1: the local port is taken by another program.</source>
        <translation>%1: otro programa usa el puerto local.</translation>
    </message>
    <message>
        <source>Relayed connection</source>
        <translation>Conexión retransmitida</translation>
    </message>
    <message>
        <source>%1 goes through a relay: no direct path could be made. It stays encrypted, but is slower.</source>
        <translation>%1 pasa por un relé: no se pudo abrir un camino directo. Sigue cifrada, pero es más lenta.</translation>
    </message>
</context>
<context>
    <name>PeerPort::Format</name>
    <message>
        <source>Public</source>
        <translation>Público</translation>
    </message>
    <message>
        <source>Allow-list</source>
        <translation>Lista de permitidos</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Privado</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>open (no NAT)</source>
        <translation>abierto (sin NAT)</translation>
    </message>
    <message>
        <source>consistent NAT</source>
        <translation>NAT consistente</translation>
    </message>
    <message>
        <source>random NAT</source>
        <translation>NAT aleatorio</translation>
    </message>
    <message>
        <source>firewalled</source>
        <translation>tras cortafuegos</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>sin conexión</translation>
    </message>
    <message>
        <source>UDP blocked</source>
        <translation>UDP bloqueado</translation>
    </message>
</context>
<context>
    <name>PeerPort::FriendsDialog</name>
    <message>
        <source>Friends</source>
        <translation>Amigos</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Añadir…</translation>
    </message>
    <message>
        <source>Add a friend by key</source>
        <translation>Añadir un amigo por su clave</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>Añadir amigo</translation>
    </message>
    <message>
        <source>A friend is a person: the key they send from “My key” and a name for them. Shares with an allow-list pick friends from here.</source>
        <translation>Un amigo es una persona: la clave que envía desde «Mi clave» y un nombre para él. Los recursos con lista de permitidos eligen amigos de aquí.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Double-click a name to rename the friend</source>
        <translation>Haz doble clic en un nombre para cambiarlo</translation>
    </message>
    <message>
        <source>Forget the selected friend</source>
        <translation>Olvidar al amigo seleccionado</translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation>&amp;Mi clave…</translation>
    </message>
    <message>
        <source>Your own key, to send to friends: copy it or show a QR code</source>
        <translation>Tu propia clave, para enviarla a tus amigos: cópiala o muestra un código QR</translation>
    </message>
    <message>
        <source>Friend&apos;s key (from their “My key”):</source>
        <translation>Clave del amigo (de su «Mi clave»):</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
</context>
<context>
    <name>PeerPort::KeyText</name>
    <message>
        <source>Paste the key or link your friend sent.</source>
        <translation>Pega la clave o el enlace que te envió tu amigo.</translation>
    </message>
    <message>
        <source>This link is incomplete or damaged. Copy the whole link again from your friend&apos;s message; PeerPort accepts 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation>Este enlace está incompleto o dañado. Copia de nuevo el enlace completo del mensaje de tu amigo; PeerPort acepta 64 caracteres hexadecimales, una clave z32 de 52 caracteres, o un enlace hs:// o peerport://.</translation>
    </message>
    <message>
        <source>This is not a key PeerPort understands. Paste 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.</source>
        <translation>Esta no es una clave que PeerPort entienda. Pega 64 caracteres hexadecimales, una clave z32 de 52 caracteres, o un enlace hs:// o peerport://.</translation>
    </message>
</context>
<context>
    <name>PeerPort::MainWindow</name>
    <message>
        <source>Relay key copied</source>
        <translation>Clave de relé copiada</translation>
    </message>
    <message>
        <source>Relaying for others</source>
        <translation>Relé para otros</translation>
    </message>
    <message>
        <source>This computer relays for peers that cannot reach each other directly (they stay end-to-end encrypted). Its relay key, which they name with --relay: %1. Click to copy it.</source>
        <translation>Este ordenador hace de relé para quienes no pueden conectarse directamente (siguen cifrados de extremo a extremo). Su clave de relé, que indican con --relay: %1. Haz clic para copiarla.</translation>
    </message>
    <message>
        <source>The HyperDHT network: nodes known and whether we are bootstrapped</source>
        <translation>La red HyperDHT: nodos conocidos y si estamos conectados</translation>
    </message>
    <message>
        <source>How the network sees this computer: NAT type and public address</source>
        <translation>Cómo ve la red a este equipo: tipo de NAT y dirección pública</translation>
    </message>
    <message>
        <source>Total rate and bytes, all shares and connections</source>
        <translation>Velocidad y bytes totales de todos los puertos y conexiones</translation>
    </message>
    <message>
        <source>The network engine could not start: %1</source>
        <translation>El motor de red no pudo iniciarse: %1</translation>
    </message>
    <message>
        <source>&amp;Share port…</source>
        <translation>&amp;Compartir puerto…</translation>
    </message>
    <message>
        <source>Share a local port with friends (%1)</source>
        <translation>Compartir un puerto local con amigos (%1)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>C&amp;onectar…</translation>
    </message>
    <message>
        <source>Reach a friend&apos;s shared port by key (Ctrl+K)</source>
        <translation>Llegar al puerto compartido de un amigo con su clave (Ctrl+K)</translation>
    </message>
    <message>
        <source>&amp;Friends…</source>
        <translation>&amp;Amigos…</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>A&amp;justes…</translation>
    </message>
    <message>
        <source>Network, language, start at login</source>
        <translation>Red, idioma, inicio al entrar en la sesión</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pausar todo</translation>
    </message>
    <message>
        <source>Stop every share and connection until you resume (Ctrl+P)</source>
        <translation>Detener todos los puertos y conexiones hasta que reanudes (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>C&amp;errar ventana</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;About PeerPort</source>
        <translation>Acerca &amp;de PeerPort</translation>
    </message>
    <message>
        <source>&amp;PeerPort</source>
        <translation>&amp;PeerPort</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Shared ports</source>
        <translation>Puertos compartidos</translation>
    </message>
    <message>
        <source>Copy &amp;key</source>
        <translation>Copiar &amp;clave</translation>
    </message>
    <message>
        <source>Copy the key (or private link) for your friend</source>
        <translation>Copiar la clave (o el enlace privado) para tu amigo</translation>
    </message>
    <message>
        <source>&amp;QR code…</source>
        <translation>Código &amp;QR…</translation>
    </message>
    <message>
        <source>Show the link as a QR code</source>
        <translation>Mostrar el enlace como código QR</translation>
    </message>
    <message>
        <source>Copy as &amp;hypertele</source>
        <translation>Copiar como &amp;hypertele</translation>
    </message>
    <message>
        <source>Copy a hypertele command that reaches this share</source>
        <translation>Copiar un comando de hypertele que llega a este puerto</translation>
    </message>
    <message>
        <source>Copy as h&amp;olesail</source>
        <translation>Copiar como h&amp;olesail</translation>
    </message>
    <message>
        <source>Copy a holesail command that reaches this share</source>
        <translation>Copiar un comando de holesail que llega a este puerto</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Detener</translation>
    </message>
    <message>
        <source>Stop or start sharing this port</source>
        <translation>Dejar de compartir o volver a compartir este puerto</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Stop sharing and remove this port from the list</source>
        <translation>Dejar de compartir y quitar este puerto de la lista</translation>
    </message>
    <message>
        <source>Remove share</source>
        <translation>Quitar puerto compartido</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <source>Copy &amp;address</source>
        <translation>Copiar &amp;dirección</translation>
    </message>
    <message>
        <source>Copy localhost:port, where the friend&apos;s service is</source>
        <translation>Copiar localhost:puerto, donde está el servicio del amigo</translation>
    </message>
    <message>
        <source>Open in &amp;browser</source>
        <translation>Abrir en el &amp;navegador</translation>
    </message>
    <message>
        <source>Open http://localhost:port in your web browser</source>
        <translation>Abrir http://localhost:puerto en tu navegador</translation>
    </message>
    <message>
        <source>Disco&amp;nnect</source>
        <translation>Desco&amp;nectar</translation>
    </message>
    <message>
        <source>Close or reopen this connection</source>
        <translation>Cerrar o reabrir esta conexión</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>Q&amp;uitar</translation>
    </message>
    <message>
        <source>Disconnect and remove this connection from the list</source>
        <translation>Desconectar y quitar esta conexión de la lista</translation>
    </message>
    <message>
        <source>S&amp;tart</source>
        <translation>&amp;Iniciar</translation>
    </message>
    <message>
        <source>Reco&amp;nnect</source>
        <translation>Reco&amp;nectar</translation>
    </message>
    <message>
        <source>Connection to %1</source>
        <translation>Conexión con %1</translation>
    </message>
    <message>
        <source>DHT: starting…</source>
        <translation>DHT: iniciando…</translation>
    </message>
    <message>
        <source>DHT: not running</source>
        <translation>DHT: detenida</translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapped, %n node(s)</source>
        <translation>
            <numerusform>DHT: conectada, %n nodo</numerusform>
            <numerusform>DHT: conectada, %n nodos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>DHT: bootstrapping, %n node(s)</source>
        <translation>
            <numerusform>DHT: conectando, %n nodo</numerusform>
            <numerusform>DHT: conectando, %n nodos</numerusform>
        </translation>
    </message>
    <message>
        <source>NAT: %1</source>
        <translation>NAT: %1</translation>
    </message>
    <message>
        <source>NAT: %1, public %2</source>
        <translation>NAT: %1, pública %2</translation>
    </message>
    <message>
        <source>%1   total ↑ %2 ↓ %3</source>
        <translation>%1   total ↑ %2 ↓ %3</translation>
    </message>
    <message>
        <source>About PeerPort</source>
        <translation>Acerca de PeerPort</translation>
    </message>
    <message>
        <source>Share a local port with a friend, peer to peer, over HyperDHT. End-to-end encrypted; no server in the middle.&lt;br&gt;&lt;br&gt;Licensed under the GNU GPL, version 3 or later. Built with Qt %1.</source>
        <translation>Comparte un puerto local con un amigo, de igual a igual, sobre HyperDHT. Cifrado de extremo a extremo; sin servidor intermedio.&lt;br&gt;&lt;br&gt;Con licencia GNU GPL, versión 3 o posterior. Compilado con Qt %1.</translation>
    </message>
    <message>
        <source>PeerPort keeps running</source>
        <translation>PeerPort sigue en marcha</translation>
    </message>
    <message>
        <source>PeerPort keeps sharing in the background. Use the tray icon to open the window again, or choose Quit from its menu to stop sharing.</source>
        <translation>PeerPort sigue compartiendo en segundo plano. Usa el icono de la bandeja para abrir la ventana de nuevo, o elige Salir en su menú para dejar de compartir.</translation>
    </message>
    <message>
        <source>There is no system tray here, so closing the window quits PeerPort and stops every share and connection. Quit?</source>
        <translation>Aquí no hay bandeja del sistema, así que cerrar la ventana cierra PeerPort y detiene todos los puertos y conexiones. ¿Salir?</translation>
    </message>
    <message>
        <source>Quit PeerPort?</source>
        <translation>¿Salir de PeerPort?</translation>
    </message>
    <message>
        <source>Quit PeerPort</source>
        <translation>Salir de PeerPort</translation>
    </message>
    <message>
        <source>&amp;Retry keychain</source>
        <translation>&amp;Reintentar el llavero</translation>
    </message>
    <message>
        <source>Ask the system keychain again and move the key there</source>
        <translation>Volver a preguntar al llavero del sistema y mover allí la clave</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Descartar</translation>
    </message>
    <message>
        <source>Hide this message; PeerPort keeps the key in the file and stops asking the keychain</source>
        <translation>Ocultar este mensaje; PeerPort guarda la clave en el archivo y deja de preguntar al llavero</translation>
    </message>
    <message>
        <source>hypertele command copied: %1</source>
        <translation>Orden de hypertele copiada: %1</translation>
    </message>
    <message>
        <source>holesail command copied (it holds the secret, not shown).</source>
        <translation>Orden de holesail copiada (contiene el secreto, no se muestra).</translation>
    </message>
    <message>
        <source>holesail command copied: %1</source>
        <translation>Orden de holesail copiada: %1</translation>
    </message>
    <message>
        <source>This share&apos;s link is secret: use Copy key to copy it.</source>
        <translation>El enlace de este recurso compartido es secreto: usa Copiar clave para copiarlo.</translation>
    </message>
    <message>
        <source>Key copied: %1</source>
        <translation>Clave copiada: %1</translation>
    </message>
    <message>
        <source>Address copied: %1</source>
        <translation>Dirección copiada: %1</translation>
    </message>
    <message>
        <source>Copy a secret link</source>
        <translation>Copiar un enlace secreto</translation>
    </message>
    <message>
        <source>This link is the share&apos;s secret: anyone who has it can reach your service. Send it only to your friend, over a private channel, and never post it.</source>
        <translation>Este enlace es el secreto del recurso compartido: cualquiera que lo tenga puede llegar a tu servicio. Envíalo solo a tu amigo, por un canal privado, y nunca lo publiques.</translation>
    </message>
    <message>
        <source>Copy secret</source>
        <translation>Copiar el secreto</translation>
    </message>
    <message>
        <source>Secret link copied (not shown).</source>
        <translation>Enlace secreto copiado (no se muestra).</translation>
    </message>
    <message>
        <source>Nothing shared yet. Click “Share port…” to let a friend reach a service on this computer.</source>
        <translation>Aún no compartes nada. Haz clic en «Compartir puerto…» para que un amigo llegue a un servicio de este equipo.</translation>
    </message>
    <message>
        <source>No connections yet. Click “Connect…” and paste the key or link a friend sent you.</source>
        <translation>Aún no hay conexiones. Haz clic en «Conectar…» y pega la clave o el enlace que te envió un amigo.</translation>
    </message>
    <message numerus="yes">
        <source>Quitting stops sharing %n port(s) and closes every tunnel; friends cannot reach your services until PeerPort runs again.</source>
        <translation>
            <numerusform>Salir deja de compartir %n puerto y cierra todos los túneles; tus amigos no podrán llegar a tus servicios hasta que PeerPort vuelva a ejecutarse.</numerusform>
            <numerusform>Salir deja de compartir %n puertos y cierra todos los túneles; tus amigos no podrán llegar a tus servicios hasta que PeerPort vuelva a ejecutarse.</numerusform>
        </translation>
    </message>
    <message>
        <source>The people you share with: their keys and names (Ctrl+L)</source>
        <translation>Las personas con quienes compartes: sus claves y nombres (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;My key…</source>
        <translation>&amp;Mi clave…</translation>
    </message>
    <message>
        <source>Your key, for friends whose shares admit only listed friends</source>
        <translation>Tu clave, para amigos cuyos recursos solo admiten a amigos de su lista</translation>
    </message>
    <message>
        <source>Copy co&amp;mmand</source>
        <translation>Copiar co&amp;mando</translation>
    </message>
    <message>
        <source>Copy a command for hypertele or holesail that reaches this share</source>
        <translation>Copiar un comando de hypertele o holesail que llega a este recurso</translation>
    </message>
    <message>
        <source>hypertele command</source>
        <translation>comando de hypertele</translation>
    </message>
    <message>
        <source>holesail command</source>
        <translation>comando de holesail</translation>
    </message>
    <message>
        <source>&amp;People…</source>
        <translation>&amp;Personas…</translation>
    </message>
    <message>
        <source>Who is connected to this share, and who was refused</source>
        <translation>Quién está conectado a este recurso y a quién se rechazó</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Change this share&apos;s name, port or access; friends keep its key</source>
        <translation>Cambiar el nombre, el puerto o el acceso; tus amigos conservan la clave</translation>
    </message>
    <message>
        <source>Key of %1</source>
        <translation>Clave de %1</translation>
    </message>
    <message>
        <source>Stop sharing %1 and remove it? Friends will no longer reach it with this key.</source>
        <translation>¿Dejar de compartir %1 y quitarlo? Tus amigos ya no llegarán a él con esta clave.</translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation>Ed&amp;itar…</translation>
    </message>
    <message>
        <source>Rename this connection or move it to another local port</source>
        <translation>Renombrar esta conexión o moverla a otro puerto local</translation>
    </message>
    <message>
        <source>Share %1</source>
        <translation>Puerto %1</translation>
    </message>
</context>
<context>
    <name>PeerPort::MyKeyDialog</name>
    <message>
        <source>My key</source>
        <translation>Mi clave</translation>
    </message>
    <message>
        <source>Send this key to a friend whose share admits only listed friends. They add you under Friends and pick you in the share&apos;s allow-list. It is not a secret: it lets nobody in by itself.</source>
        <translation>Envía esta clave a un amigo cuyo recurso solo admite a amigos de su lista. Te añade en Amigos y te elige en la lista de permitidos del recurso. No es secreta: por sí sola no deja entrar a nadie.</translation>
    </message>
    <message>
        <source>Your identity key (public)</source>
        <translation>Tu clave de identidad (pública)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>Copy your key to the clipboard</source>
        <translation>Copiar tu clave al portapapeles</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>QR code of your key</source>
        <translation>Código QR de tu clave</translation>
    </message>
    <message>
        <source>Or let your friend scan this with a phone&apos;s camera and pass the text on.</source>
        <translation>O deja que tu amigo lo escanee con la cámara del móvil y pase el texto.</translation>
    </message>
</context>
<context>
    <name>PeerPort::PeersDialog</name>
    <message>
        <source>People on %1</source>
        <translation>Personas en %1</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>Amigo</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Conectado desde</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Último intento</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Permitir</translation>
    </message>
    <message>
        <source>Add this key to the share&apos;s allow-list; the share restarts with it</source>
        <translation>Añadir esta clave a la lista de permitidos; el recurso se reinicia con ella</translation>
    </message>
    <message>
        <source>&amp;Copy key</source>
        <translation>&amp;Copiar clave</translation>
    </message>
    <message>
        <source>Copy the refused key, to name it in Friends or send it back</source>
        <translation>Copiar la clave rechazada, para nombrarla en Amigos o devolverla</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>Connected now</source>
        <translation>Conectados ahora</translation>
    </message>
    <message>
        <source>Refused attempts (not on the allow-list)</source>
        <translation>Intentos rechazados (fuera de la lista de permitidos)</translation>
    </message>
    <message>
        <source>Anyone with the key may connect to this share: make it an allow-list share (Edit…) to choose who may</source>
        <translation>Cualquiera con la clave puede conectarse a este recurso: conviértelo en uno con lista de permitidos (Editar…) para elegir quién</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Camino</translation>
    </message>
    <message>
        <source>&amp;Name…</source>
        <translation>&amp;Nombrar…</translation>
    </message>
    <message>
        <source>Add this key to Friends under a name</source>
        <translation>Añadir esta clave a Amigos con un nombre</translation>
    </message>
    <message>
        <source>Name a friend</source>
        <translation>Nombrar a un amigo</translation>
    </message>
    <message>
        <source>Name for %1:</source>
        <translation>Nombre para %1:</translation>
    </message>
    <message>
        <source>relayed</source>
        <translation>retransmitido</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>directo</translation>
    </message>
    <message>
        <source>Sent / received</source>
        <translation>Enviado / recibido</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Desconectar</translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels now; the share keeps running, and they may connect again</source>
        <translation>Cerrar ahora los túneles de este amigo; el recurso sigue activo y puede volver a conectarse</translation>
    </message>
    <message>
        <source>Disconnect and &amp;block</source>
        <translation>Desconectar y &amp;bloquear</translation>
    </message>
    <message>
        <source>End this friend&apos;s tunnels and take them off the allow-list; the share keeps running for everyone else</source>
        <translation>Cerrar los túneles de este amigo y quitarlo de la lista de permitidos; el recurso sigue activo para los demás</translation>
    </message>
    <message>
        <source>Disconnect and block</source>
        <translation>Desconectar y bloquear</translation>
    </message>
    <message>
        <source>This is the only friend on the allow-list. Use Disconnect, remove the share, or add someone else first.</source>
        <translation>Es el único amigo de la lista de permitidos. Usa Desconectar, quita el recurso o añade a otra persona antes.</translation>
    </message>
    <message numerus="yes">
        <source>%n tunnel(s) open</source>
        <translation>
            <numerusform>%n túnel abierto</numerusform>
            <numerusform>%n túneles abiertos</numerusform>
        </translation>
    </message>
    <message>
        <source>Round-trip time %1 ms</source>
        <translation>Tiempo de ida y vuelta %1 ms</translation>
    </message>
</context>
<context>
    <name>PeerPort::QrDialog</name>
    <message>
        <source>QR code of %1</source>
        <translation>Código QR de %1</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>&amp;Copiar enlace</translation>
    </message>
    <message>
        <source>Copy the link to the clipboard</source>
        <translation>Copiar el enlace al portapapeles</translation>
    </message>
    <message>
        <source>Your friend can scan this with a phone&apos;s camera and send the link to their computer, or you can send the link below; they paste it in PeerPort&apos;s Connect dialog:</source>
        <translation>Tu amigo puede escanearlo con la cámara del móvil y enviarse el enlace a su ordenador, o puedes enviarle el enlace de abajo; lo pega en el diálogo Conectar de PeerPort:</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
</context>
<context>
    <name>PeerPort::SecretStore</name>
    <message>
        <source>The keychain is not used in this session.</source>
        <translation>En esta sesión no se usa el llavero.</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 seconds (it may be locked).</source>
        <translation>El llavero del sistema no respondió en %1 segundos (puede estar bloqueado).</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1).</source>
        <translation>El llavero del sistema no está disponible (%1).</translation>
    </message>
    <message>
        <source>The system keychain stopped answering.</source>
        <translation>El llavero del sistema dejó de responder.</translation>
    </message>
    <message>
        <source>The system keychain refused to store the key (%1).</source>
        <translation>El llavero del sistema se negó a guardar la clave (%1).</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>You cancelled the keychain prompt, so PeerPort keeps its key in a file instead.</source>
        <translation>Cancelaste la petición del llavero, así que PeerPort guarda su clave en un archivo.</translation>
    </message>
    <message>
        <source>Your private key is stored in %1, readable only by you. To move it into the keychain (for example GNOME Keyring or KWallet), unlock it and choose Retry keychain.</source>
        <translation>Tu clave privada está guardada en %1, legible solo por ti. Para moverla al llavero (por ejemplo GNOME Keyring o KWallet), desbloquéalo y elige Reintentar el llavero.</translation>
    </message>
    <message>
        <source>Cannot replace %1: %2</source>
        <translation>No se puede reemplazar %1: %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::SettingsDialog</name>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>PeerPort settings</source>
        <translation>Ajustes de PeerPort</translation>
    </message>
    <message>
        <source>public HyperDHT network</source>
        <translation>red HyperDHT pública</translation>
    </message>
    <message>
        <source>Bootstrap nodes as host:port, comma-separated; empty for the public network; &quot;none&quot; for a private network of your own</source>
        <translation>Nodos de arranque como host:puerto, separados por comas; vacío para la red pública; &quot;none&quot; para una red privada propia</translation>
    </message>
    <message>
        <source>Use &amp;relays when a direct connection is impossible</source>
        <translation>Usar &amp;relés cuando no sea posible una conexión directa</translation>
    </message>
    <message>
        <source>Relayed traffic stays end-to-end encrypted but passes through another peer</source>
        <translation>El tráfico por relé sigue cifrado de extremo a extremo, pero pasa por otro equipo</translation>
    </message>
    <message>
        <source>relays announced on the DHT</source>
        <translation>relés anunciados en la DHT</translation>
    </message>
    <message>
        <source>Keys of relays to try first, comma-separated (hex, z32 or peerport://)</source>
        <translation>Claves de relés que se prueban primero, separadas por comas (hex, z32 o peerport://)</translation>
    </message>
    <message>
        <source>Relay &amp;for others (for a computer with a public address)</source>
        <translation>Hacer de relé &amp;para otros (para un equipo con dirección pública)</translation>
    </message>
    <message>
        <source>Helps peers behind strict NATs reach each other; they stay end-to-end encrypted, this computer only passes their packets on</source>
        <translation>Ayuda a pares detrás de NAT estrictos a conectarse; siguen cifrados de extremo a extremo, este equipo solo reenvía sus paquetes</translation>
    </message>
    <message>
        <source>Relay &amp;keys:</source>
        <translation>C&amp;laves de relé:</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>&amp;Bootstrap nodes:</source>
        <translation>Nodos de &amp;arranque:</translation>
    </message>
    <message>
        <source>Start PeerPort when I &amp;log in</source>
        <translation>Iniciar PeerPort al &amp;entrar en la sesión</translation>
    </message>
    <message>
        <source>Adds PeerPort to your desktop&apos;s startup programs (%1)</source>
        <translation>Añade PeerPort a los programas de inicio del escritorio (%1)</translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation>Iniciar &amp;minimizado en la bandeja</translation>
    </message>
    <message>
        <source>Keep sharing without opening the window at start</source>
        <translation>Seguir compartiendo sin abrir la ventana al iniciar</translation>
    </message>
    <message>
        <source>Show a desktop notification when someone connects to one of your shares</source>
        <translation>Mostrar una notificación cuando alguien se conecte a uno de tus puertos</translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation>Escritorio</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identidad</translation>
    </message>
    <message>
        <source>Your public key: friends add it to a share&apos;s allow-list to let you in</source>
        <translation>Tu clave pública: tus amigos la añaden a la lista de permitidos de un puerto para dejarte entrar</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy your public key</source>
        <translation>Copiar tu clave pública</translation>
    </message>
    <message>
        <source>The private key is kept in the system keychain.</source>
        <translation>La clave privada se guarda en el llavero del sistema.</translation>
    </message>
    <message>
        <source>%1 (from PEERPORT_BOOTSTRAP)</source>
        <translation>%1 (de PEERPORT_BOOTSTRAP)</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiada</translation>
    </message>
    <message>
        <source>The language of PeerPort&apos;s windows; it changes when you press OK</source>
        <translation>El idioma de las ventanas de PeerPort; cambia al pulsar Aceptar</translation>
    </message>
    <message>
        <source>A friend &amp;connects to one of my shares</source>
        <translation>Un amigo se &amp;conecta a uno de mis recursos</translation>
    </message>
    <message>
        <source>Someone is &amp;refused (by my share, or a friend&apos;s share refuses me)</source>
        <translation>Alguien es &amp;rechazado (por mi recurso, o el de un amigo me rechaza)</translation>
    </message>
    <message>
        <source>A share of yours turned away a key that is not on its allow-list, or a friend&apos;s share does not admit this computer</source>
        <translation>Uno de tus recursos rechazó una clave fuera de su lista de permitidos, o el recurso de un amigo no admite este ordenador</translation>
    </message>
    <message>
        <source>A shared &amp;service stops answering</source>
        <translation>Un &amp;servicio compartido deja de responder</translation>
    </message>
    <message>
        <source>Friends reach the share, but nothing accepts connections on its local port</source>
        <translation>Tus amigos llegan al recurso, pero nada acepta conexiones en su puerto local</translation>
    </message>
    <message>
        <source>A local &amp;port is taken by another program</source>
        <translation>Otro programa usa un &amp;puerto local</translation>
    </message>
    <message>
        <source>A connection cannot open its local port because another program uses it</source>
        <translation>Una conexión no puede abrir su puerto local porque otro programa lo usa</translation>
    </message>
    <message>
        <source>A connection goes only through a &amp;relay</source>
        <translation>Una conexión solo pasa por un &amp;relé</translation>
    </message>
    <message>
        <source>No direct path could be made; traffic stays encrypted but is slower</source>
        <translation>No se pudo abrir un camino directo; el tráfico sigue cifrado, pero es más lento</translation>
    </message>
    <message>
        <source>Notify me when</source>
        <translation>Avisarme cuando</translation>
    </message>
    <message>
        <source>QR code…</source>
        <translation>Código QR…</translation>
    </message>
    <message>
        <source>Show your key as a QR code</source>
        <translation>Mostrar tu clave como código QR</translation>
    </message>
</context>
<context>
    <name>PeerPort::ShareDialog</name>
    <message>
        <source>Share a port</source>
        <translation>Compartir un puerto</translation>
    </message>
    <message>
        <source>for example 8080</source>
        <translation>por ejemplo 8080</translation>
    </message>
    <message>
        <source>The port of the local service to share, 1 to 65535</source>
        <translation>El puerto del servicio local que quieres compartir, de 1 a 65535</translation>
    </message>
    <message>
        <source>Where the service runs; 127.0.0.1 is this computer</source>
        <translation>Dónde se ejecuta el servicio; 127.0.0.1 es este equipo</translation>
    </message>
    <message>
        <source>TCP for web, SSH, databases; UDP for games and voice</source>
        <translation>TCP para web, SSH, bases de datos; UDP para juegos y voz</translation>
    </message>
    <message>
        <source>Public: anyone with the key</source>
        <translation>Público: cualquiera con la clave</translation>
    </message>
    <message>
        <source>Allow-list: only the friends listed below</source>
        <translation>Lista de permitidos: solo los amigos de abajo</translation>
    </message>
    <message>
        <source>Private: the link itself is the secret</source>
        <translation>Privado: el propio enlace es el secreto</translation>
    </message>
    <message>
        <source>Who may connect to this share</source>
        <translation>Quién puede conectarse a este puerto</translation>
    </message>
    <message>
        <source>Friends allowed to connect</source>
        <translation>Amigos que pueden conectarse</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected key from the allow-list</source>
        <translation>Quitar la clave seleccionada de la lista de permitidos</translation>
    </message>
    <message>
        <source>&amp;Share</source>
        <translation>&amp;Compartir</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Puerto:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation>P&amp;rotocolo:</translation>
    </message>
    <message>
        <source>&amp;Access:</source>
        <translation>A&amp;cceso:</translation>
    </message>
    <message>
        <source>Allo&amp;wed:</source>
        <translation>Per&amp;mitidos:</translation>
    </message>
    <message>
        <source>Anyone who has the key can connect.</source>
        <translation>Cualquiera que tenga la clave puede conectarse.</translation>
    </message>
    <message>
        <source>Only the keys listed below can connect; others are refused.</source>
        <translation>Solo pueden conectarse las claves de abajo; las demás se rechazan.</translation>
    </message>
    <message>
        <source>A secret hs://s000 link is made; whoever has it can connect. Share it privately.</source>
        <translation>Se crea un enlace secreto hs://s000; quien lo tenga puede conectarse. Compártelo en privado.</translation>
    </message>
    <message>
        <source>Enter the port of the service to share.</source>
        <translation>Escribe el puerto del servicio que quieres compartir.</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>El puerto debe ser un número de 1 a 65535.</translation>
    </message>
    <message>
        <source>Enter the host the service runs on, usually 127.0.0.1.</source>
        <translation>Escribe el host donde se ejecuta el servicio, normalmente 127.0.0.1.</translation>
    </message>
    <message>
        <source>“%1” is not an IP address or host name.</source>
        <translation>«%1» no es una dirección IP ni un nombre de host.</translation>
    </message>
    <message>
        <source>Add at least one friend&apos;s key to the allow-list.</source>
        <translation>Añade al menos la clave de un amigo a la lista de permitidos.</translation>
    </message>
    <message>
        <source>Nothing is listening on %1:%2 right now. You can share it anyway; friends will reach it once the service runs.</source>
        <translation>Ahora mismo nada escucha en %1:%2. Puedes compartirlo igualmente; tus amigos llegarán en cuanto el servicio esté en marcha.</translation>
    </message>
    <message>
        <source>optional, for example “Minecraft”</source>
        <translation>opcional, por ejemplo «Minecraft»</translation>
    </message>
    <message>
        <source>Your own name for this share, shown in the list and in notifications</source>
        <translation>Tu propio nombre para este recurso, visible en la lista y en las notificaciones</translation>
    </message>
    <message>
        <source>Pick a friend or paste a key</source>
        <translation>Elige un amigo o pega una clave</translation>
    </message>
    <message>
        <source>Pick a friend from the list, or paste the key a friend sent from “My key”, and press Add</source>
        <translation>Elige un amigo de la lista, o pega la clave que un amigo envió desde «Mi clave», y pulsa Añadir</translation>
    </message>
    <message>
        <source>Add this friend to the allow-list</source>
        <translation>Añadir este amigo a la lista de permitidos</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>Edit share</source>
        <translation>Editar recurso</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Changing the access to or from Private gives the share a new key: send it to your friends again.</source>
        <translation>Cambiar el acceso a Privado o desde Privado da al recurso una clave nueva: envíala de nuevo a tus amigos.</translation>
    </message>
</context>
<context>
    <name>PeerPort::SharesModel</name>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Acceso</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Conectados</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>Who may connect: anyone with the key, listed friends, or holders of a secret</source>
        <translation>Quién puede conectarse: cualquiera con la clave, los amigos de la lista o quien tenga un secreto</translation>
    </message>
    <message>
        <source>The key to give your friend; click the copy icon to copy it</source>
        <translation>La clave para tu amigo; haz clic en el icono de copiar para copiarla</translation>
    </message>
    <message>
        <source>Whether the share is published on the network</source>
        <translation>Si el puerto está publicado en la red</translation>
    </message>
    <message>
        <source>Friends connected now</source>
        <translation>Amigos conectados ahora</translation>
    </message>
    <message>
        <source>Current upload and download rate</source>
        <translation>Velocidad actual de subida y bajada</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>Announcing…</source>
        <translation>Anunciando…</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Escuchando</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>secret link</source>
        <translation>enlace secreto</translation>
    </message>
    <message>
        <source>Nobody connected</source>
        <translation>Nadie conectado</translation>
    </message>
    <message>
        <source>Up (to friends) and down (from friends)</source>
        <translation>Subida (a los amigos) y bajada (de los amigos)</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>Servicio caído</translation>
    </message>
    <message numerus="yes">
        <source>Listening, refused %n key(s)</source>
        <translation>
            <numerusform>Escuchando, %n clave rechazada</numerusform>
            <numerusform>Escuchando, %n claves rechazadas</numerusform>
        </translation>
    </message>
    <message>
        <source>The secret link is hidden. Use Copy key to copy it for a friend.</source>
        <translation>El enlace secreto está oculto. Usa Copiar clave para copiarlo para un amigo.</translation>
    </message>
    <message>
        <source>Click to copy the key</source>
        <translation>Haz clic para copiar la clave</translation>
    </message>
    <message>
        <source>Nothing accepts connections on %1.</source>
        <translation>Nada acepta conexiones en %1.</translation>
    </message>
    <message numerus="yes">
        <source>Refused %1 at %2 (%n attempt(s)): not on the allow-list</source>
        <translation>
            <numerusform>Rechazado %1 a las %2 (%n intento): no está en la lista de permitidos</numerusform>
            <numerusform>Rechazado %1 a las %2 (%n intentos): no está en la lista de permitidos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, since %2</source>
        <translation>%1, desde las %2</translation>
    </message>
    <message>
        <source>The share&apos;s name and the local service friends reach: host:port and protocol</source>
        <translation>El nombre del recurso y el servicio local al que llegan tus amigos: host:puerto y protocolo</translation>
    </message>
    <message>
        <source>%1 (%2), access: %3</source>
        <translation>%1 (%2), acceso: %3</translation>
    </message>
</context>
<context>
    <name>PeerPort::ThroughputChart</name>
    <message>
        <source>Throughput chart</source>
        <translation>Gráfico de tráfico</translation>
    </message>
    <message>
        <source>Upload and download over the last 60 seconds; select a row to see only that share or connection</source>
        <translation>Subida y bajada de los últimos 60 segundos; selecciona una fila para ver solo ese puerto o conexión</translation>
    </message>
    <message>
        <source>60 s ago</source>
        <translation>hace 60 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>Todo el tráfico</translation>
    </message>
    <message>
        <source>↑ up %1   ↓ down %2</source>
        <translation>↑ subida %1   ↓ bajada %2</translation>
    </message>
</context>
<context>
    <name>PeerPort::TrayIcon</name>
    <message>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Total: %1</translation>
    </message>
    <message>
        <source>Sent %1, received %2</source>
        <translation>Enviado %1, recibido %2</translation>
    </message>
    <message>
        <source>&amp;Show PeerPort</source>
        <translation>&amp;Mostrar PeerPort</translation>
    </message>
    <message>
        <source>S&amp;hares</source>
        <translation>&amp;Puertos compartidos</translation>
    </message>
    <message>
        <source>No shared ports</source>
        <translation>Ningún puerto compartido</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>&amp;Conexiones</translation>
    </message>
    <message>
        <source>No connections</source>
        <translation>Ninguna conexión</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pausar todo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message numerus="yes">
        <source>PeerPort: sharing %n port(s)</source>
        <translation>
            <numerusform>PeerPort: compartiendo %n puerto</numerusform>
            <numerusform>PeerPort: compartiendo %n puertos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n friend(s) connected to your shares</source>
        <translation>
            <numerusform>%n amigo conectado a tus recursos compartidos</numerusform>
            <numerusform>%n amigos conectados a tus recursos compartidos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n friend&apos;s share(s) online</source>
        <translation>
            <numerusform>%1 de %n recurso compartido de amigos en línea</numerusform>
            <numerusform>%1 de %n recursos compartidos de amigos en línea</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Restablecer</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ayuda</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Sí</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Abortar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorar</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Restaurar valores predeterminados</translation>
    </message>
</context>
</TS>
