'use strict'
// The JS side of the churn benchmark (tests/bench/churn_dht.py), on the pinned hyperdht 6.34 /
// dht-rpc 6.27 from tests/interop (NODE_PATH). One process holds several real DHT nodes, each
// on its own UDP socket, so 150 JS nodes do not need 150 node.js processes.
//   node churn-nodes.js nodes HOST:PORT,... COUNT    COUNT persistent DHT nodes (what
//        hyperdht/testnet makes on loopback: ephemeral false, firewalled false); prints
//        {"ports":[...]}, then answers {"op":"health","dead":[ports],"live":[ports]} with the
//        routing tables' sizes and how many entries point at dead ports or at neither
//   node churn-nodes.js servers HOST:PORT,... SEED,...   one echo server per 32-byte hex seed,
//        each on its own ephemeral DHT node, announced; prints {"keys":[...]}
//   node churn-nodes.js client HOST:PORT,...         answers {"op":"probe","key":hex} with
//        one fresh client node: bootstrap, findPeer (timed to the first reply holding the
//        key, as hyperdht's connect takes it), connect and echo; then the node is destroyed
// Every operation has a deadline; the process ends when stdin closes.
const DHT = require('hyperdht')
const b4a = require('b4a')

const [mode, bootstrapArg, arg] = process.argv.slice(2)
const bootstrap = bootstrapArg.split(',').map((a) => {
  const [host, port] = a.split(':')
  return { host, port: Number(port) }
})
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n')
// hyperdht binds 49737 (and the next five) when it is free: a port other programs here use.
function freePort () {
  const dgram = require('dgram')
  const s = dgram.createSocket('udp4')
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => {
    const { port } = s.address()
    s.close(() => resolve(port))
  }))
}
const within = (ms, p) =>
  Promise.race([p, new Promise((resolve, reject) => setTimeout(() => reject(new Error('deadline')), ms))])

async function nodes () {
  const list = []
  for (let i = 0; i < Number(arg); i++) {
    const node = new DHT({ bootstrap, host: '127.0.0.1', port: await freePort(), ephemeral: false, firewalled: false })
    await within(30000, node.fullyBootstrapped())
    list.push(node)
  }
  print({ ports: list.map((n) => n.address().port) })
  return {
    health (m) {
      const dead = new Set(m.dead.map(Number))
      const live = new Set(m.live.map(Number))
      const sizes = []
      let stale = 0
      let strangers = 0 // neither a live DHT node nor a killed one: a client node
      const staleByPort = {}
      for (const n of list) {
        const entries = n.toArray()
        sizes.push(entries.length)
        for (const e of entries) {
          if (!live.has(e.port) && !dead.has(e.port)) strangers++
          if (e.host === '127.0.0.1' && dead.has(e.port)) {
            stale++
            staleByPort[e.port] = (staleByPort[e.port] || 0) + 1
          }
        }
      }
      return { sizes, stale, staleByPort, strangers }
    }
  }
}

async function servers () {
  const keys = []
  for (const seed of arg.split(',')) {
    const node = new DHT({ bootstrap, host: '127.0.0.1', port: await freePort() })
    await within(30000, node.fullyBootstrapped())
    const server = node.createServer((socket) => {
      socket.on('data', (d) => socket.write(d))
      socket.on('end', () => socket.end())
      socket.on('error', () => {})
    })
    const keyPair = DHT.keyPair(b4a.from(seed, 'hex'))
    await within(30000, server.listen(keyPair))
    keys.push(b4a.toString(keyPair.publicKey, 'hex'))
  }
  print({ keys })
  return {}
}

async function findPeer (node, key) {
  for await (const r of node.findPeer(key)) {
    if (r.peer && b4a.equals(r.peer.publicKey, key)) return true
  }
  return false
}

function echo (node, key) {
  const socket = node.connect(key)
  return new Promise((resolve, reject) => {
    socket.on('error', reject)
    socket.on('open', () => socket.write(b4a.from('churn')))
    socket.once('data', (d) => {
      socket.destroy()
      resolve(b4a.toString(d) === 'churn')
    })
  })
}

async function client () {
  return {
    async probe (m) {
      const key = b4a.from(m.key, 'hex')
      const node = new DHT({ bootstrap, host: '127.0.0.1', port: await freePort() })
      const out = { found: false, lookupMs: null, connected: false, connectMs: null }
      try {
        await within(20000, node.fullyBootstrapped())
        let t0 = Date.now()
        out.found = await within(20000, findPeer(node, key))
        out.lookupMs = Date.now() - t0
        if (out.found) {
          t0 = Date.now()
          out.connected = await within(20000, echo(node, key))
          out.connectMs = Date.now() - t0
        }
      } catch (err) {
        out.error = err.code || String(err.message)
      }
      await node.destroy()
      return out
    }
  }
}

async function main () {
  const ops = await (mode === 'nodes' ? nodes() : mode === 'servers' ? servers() : client())
  const rl = require('readline').createInterface({ input: process.stdin })
  let chain = Promise.resolve()
  rl.on('line', (line) => {
    chain = chain.then(async () => {
      const m = JSON.parse(line)
      try {
        print(await ops[m.op](m))
      } catch (err) {
        print({ error: String(err && err.message) })
      }
    })
  })
  await new Promise((resolve) => rl.on('close', resolve))
  process.exit(0)
}

main().catch((err) => {
  console.error('churn-nodes:', err)
  process.exit(1)
})
