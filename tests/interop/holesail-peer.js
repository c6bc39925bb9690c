'use strict'
// holesail 2.4.1 (its library: holesail-server 2.4.0, holesail-client) on a local DHT, for the
// interop tests. holesail targets the Bare runtime and has no bootstrap option, so before it
// loads: 'bare-dgram' resolves to Node's dgram, and every HyperDHT it makes joins our
// bootstrap node on loopback (under plain Node its CLI fails with "require.addon is not a
// function", since @holesail/hyper-cmd-lib-net requires bare-dgram).
//   node holesail-peer.js server BOOT_PORT SERVICE_PORT [udp] [secure]
//   node holesail-peer.js client BOOT_PORT URL LOCAL_PORT [udp]
// Prints one JSON line {"event":"listening", ...} when ready; runs until stdin closes.
const Module = require('module')

const [role, bootPort, a, ...rest] = process.argv.slice(2)
// The server takes no fourth value, so its flags start right after the service port.
const b = role === 'client' ? rest.shift() : undefined
const flags = rest
const bootstrap = [{ host: '127.0.0.1', port: Number(bootPort) }]

const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === 'bare-dgram' ? 'dgram' : request, ...rest)
}
const HyperDHT = require('hyperdht')
class LocalDHT extends HyperDHT {
  constructor (opts = {}) {
    super({ ...opts, bootstrap, host: '127.0.0.1' })
  }
}
require.cache[require.resolve('hyperdht')].exports = LocalDHT

const Holesail = require('holesail')

function fail (err) {
  console.log(JSON.stringify({ event: 'error', message: String(err && err.stack || err) }))
  process.exit(1)
}

async function main () {
  const udp = flags.includes('udp') || undefined
  let hs
  if (role === 'server') {
    hs = new Holesail({
      server: true,
      port: Number(a),
      host: '127.0.0.1',
      udp,
      secure: flags.includes('secure')
    })
  } else {
    hs = new Holesail({ client: true, key: a, port: Number(b), host: '127.0.0.1', udp })
  }
  await hs.ready()
  // holesail's ready() does not wait for its UDP proxy socket to be bound; datagrams sent
  // before that are refused, so "listening" waits for it.
  const proxy = hs.dht.proxy
  if (proxy && typeof proxy.address === 'function') {
    try { proxy.address() } catch { await new Promise((resolve) => proxy.once('listening', resolve)) }
  }
  const info = hs.info
  console.log(JSON.stringify({ event: 'listening', url: info.url, publicKey: info.publicKey,
    port: info.port, protocol: info.protocol }))
  process.stdin.resume()
  process.stdin.on('end', () => { hs.close().finally(() => process.exit(0)) })
}

main().catch(fail)
