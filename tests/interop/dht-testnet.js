'use strict'
// The JS side of the DHT interop tests (hyperdht 6.34 / dht-rpc 6.27 on loopback).
//   node dht-testnet.js join HOST:PORT  a 10-node testnet that bootstraps from HOST:PORT alone
//                                        (a peerport-cli node), then a JS server and client
//                                        connect by key through it; prints one JSON result
//   node dht-testnet.js relay HOST:PORT  no JS DHT nodes at all: an ephemeral JS server and
//                                        client whose only DHT node is HOST:PORT, so the
//                                        handshake can only be relayed by it; prints one result
//   node dht-testnet.js serve           a 10-node testnet; prints {"bootstrap": "host:port"}
//                                        and runs until stdin closes
// Exit codes: 0 done, 1 failure (reason on stderr and in the JSON), 5 timeout.
const createTestnet = require('hyperdht/testnet')
const b4a = require('b4a')

const [mode, bootstrap] = process.argv.slice(2)
const timer = setTimeout(() => { console.error('dht-testnet: timed out'); process.exit(5) }, 90000)

async function join () {
  const [host, port] = bootstrap.split(':')
  const testnet = await createTestnet(10, { bootstrap: [{ host, port: Number(port) }] })
  // How many JS routing tables hold the C++ node.
  const tables = testnet.nodes.length
  let tablesWithCpp = 0
  for (const node of testnet.nodes) {
    if (node.toArray().some((n) => n.host === host && n.port === Number(port))) tablesWithCpp++
  }
  const server = testnet.createNode()
  const client = testnet.createNode()
  const keyPair = server.defaultKeyPair
  const srv = server.createServer((socket) => {
    socket.on('data', (d) => socket.write(d))
    socket.on('error', () => {})
  })
  await srv.listen(keyPair)
  // One attempt: a retry here would hide a relayed handshake the PeerPort node lost. The
  // client's error code, if any, is reported for the test to print.
  let echoed = null
  let error = null
  const socket = client.connect(keyPair.publicKey)
  try {
    echoed = await new Promise((resolve, reject) => {
      socket.on('error', reject)
      socket.once('data', (d) => resolve(b4a.toString(d)))
      socket.write(b4a.from('hello through a PeerPort-bootstrapped DHT'))
    })
  } catch (err) {
    error = err.code || String(err)
  }
  socket.destroy()
  console.log(JSON.stringify({ ok: echoed === 'hello through a PeerPort-bootstrapped DHT', error, tablesWithCpp, tables, nodes: testnet.nodes.length }))
  await testnet.destroy()
}

async function relay () {
  const HyperDHT = require('hyperdht')
  const [host, port] = bootstrap.split(':')
  const opts = { bootstrap: [{ host, port: Number(port) }], host: '127.0.0.1' }
  const server = new HyperDHT(opts)
  const client = new HyperDHT(opts)
  await server.fullyBootstrapped()
  await client.fullyBootstrapped()
  const keyPair = HyperDHT.keyPair()
  const srv = server.createServer((socket) => {
    socket.on('data', (d) => socket.write(d))
    socket.on('error', () => {})
  })
  await srv.listen(keyPair)
  const t0 = Date.now()
  const socket = client.connect(keyPair.publicKey)
  const echoed = await new Promise((resolve, reject) => {
    socket.on('error', reject)
    socket.once('data', (d) => resolve(b4a.toString(d)))
    socket.write(b4a.from('relayed by PeerPort'))
  })
  const ms = Date.now() - t0
  socket.destroy()
  await srv.close()
  await server.destroy()
  await client.destroy()
  console.log(JSON.stringify({ ok: echoed === 'relayed by PeerPort', ms }))
}

// serve mode also takes record operations, one JSON object per stdin line, answered in order:
//   {"op":"mutablePut","seed":hex,"value":hex,"seq":n}  -> {"ok":true}
//   {"op":"mutableGet","publicKey":hex}                  -> {"value":hex|null,"seq":n}
//   {"op":"immutablePut","value":hex}                    -> {"hash":hex}
//   {"op":"immutableGet","hash":hex}                     -> {"value":hex|null}
//   {"op":"announce","seed":hex,"target":hex}            -> {"ok":true}
//   {"op":"lookup","target":hex}                         -> {"publicKeys":[hex]}
//   {"op":"listen","seed":hex}                           -> {"ok":true} (a server, announced)
//   {"op":"rejectingServer","seed":hex}                  -> {"ok":true} (firewall refuses all)
//   {"op":"connect","publicKey":hex,"bytes":n}           -> {"ok","received","match",...} or
//                                                            {"error": code}; sends n random
//                                                            bytes, expects them echoed
//   {"op":"echoServer","seed":hex}                       -> {"ok":true} (echoes, ends when the
//                                                            client ends)
async function serve () {
  const testnet = await createTestnet(10, { host: '127.0.0.1' })
  const b = testnet.bootstrap[0]
  const client = testnet.createNode()
  await client.fullyBootstrapped()
  console.log(JSON.stringify({ bootstrap: `${b.host}:${b.port}` }))
  const HyperDHT = require('hyperdht')
  const hex = (x) => b4a.toString(x, 'hex')
  const buf = (x) => b4a.from(x, 'hex')
  const rl = require('readline').createInterface({ input: process.stdin })
  const ops = {
    async mutablePut (m) {
      await client.mutablePut(HyperDHT.keyPair(buf(m.seed)), buf(m.value), { seq: m.seq })
      return { ok: true }
    },
    async mutableGet (m) {
      const r = await client.mutableGet(buf(m.publicKey), { latest: true })
      return r ? { value: hex(r.value), seq: r.seq } : { value: null }
    },
    async immutablePut (m) {
      const r = await client.immutablePut(buf(m.value))
      return { hash: hex(r.hash) }
    },
    async announce (m) {
      await client.announce(buf(m.target), HyperDHT.keyPair(buf(m.seed)), []).finished()
      return { ok: true }
    },
    async lookup (m) {
      const keys = new Set()
      for await (const r of client.lookup(buf(m.target))) {
        for (const p of r.peers) keys.add(hex(p.publicKey))
      }
      return { publicKeys: [...keys] }
    },
    async echoServer (m) {
      const server = client.createServer((socket) => {
        socket.on('data', (d) => socket.write(d))
        socket.on('end', () => socket.end())
        socket.on('error', () => {})
      })
      await server.listen(HyperDHT.keyPair(buf(m.seed)))
      return { ok: true }
    },
    async rejectingServer (m) {
      const server = client.createServer({ firewall: () => true }, () => {})
      await server.listen(HyperDHT.keyPair(buf(m.seed)))
      return { ok: true }
    },
    async connect (m) {
      const crypto = require('crypto')
      const t0 = Date.now()
      const socket = client.connect(buf(m.publicKey))
      const sent = crypto.createHash('sha256')
      const got = crypto.createHash('sha256')
      let received = 0
      let firstByteMs = null
      return await new Promise((resolve) => {
        socket.on('error', (err) => resolve({ error: err.code || String(err.message) }))
        socket.on('open', () => {
          let left = m.bytes
          const write = () => {
            while (left > 0) {
              const chunk = crypto.randomBytes(Math.min(65536, left))
              left -= chunk.length
              sent.update(chunk)
              if (!socket.write(chunk)) return socket.once('drain', write)
            }
            socket.end()
          }
          write()
        })
        socket.on('data', (d) => {
          if (firstByteMs === null) firstByteMs = Date.now() - t0
          got.update(d)
          received += d.length
        })
        socket.on('end', () => {
          resolve({ ok: true, received, match: sent.digest('hex') === got.digest('hex'), firstByteMs, ms: Date.now() - t0 })
        })
      })
    },
    async listen (m) {
      const server = client.createServer(() => {})
      await server.listen(HyperDHT.keyPair(buf(m.seed)))
      return { ok: true }
    },
    async immutableGet (m) {
      const r = await client.immutableGet(buf(m.hash))
      return r ? { value: hex(r.value) } : { value: null }
    }
  }
  let chain = Promise.resolve()
  rl.on('line', (line) => {
    chain = chain.then(async () => {
      const m = JSON.parse(line)
      try {
        console.log(JSON.stringify(await ops[m.op](m)))
      } catch (err) {
        console.log(JSON.stringify({ error: String(err && err.message) }))
      }
    })
  })
  await new Promise((resolve) => rl.on('close', resolve))
  await chain
  await testnet.destroy()
}

;(mode === 'join' ? join() : mode === 'relay' ? relay() : serve())
  .then(() => { clearTimeout(timer); process.exit(0) })
  .catch((err) => {
    console.error('dht-testnet:', err)
    console.log(JSON.stringify({ ok: false, error: String(err && err.message) }))
    process.exit(1)
  })
