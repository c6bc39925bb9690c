'use strict'
// udx-native's side of tests/bench/udx_throughput.cpp: one stream, sender and receiver in this one
// process on loopback (as the C++ side runs both ends on one loop). Prints one JSON line:
// {"bytes", "seconds", "cpuSeconds"}.
const UDX = require('udx-native')

const bytes = Number(process.argv[2] || 256 * 1024 * 1024)
const udx = new UDX()
const a = udx.createSocket()
const b = udx.createSocket()
a.bind(0, '127.0.0.1')
b.bind(0, '127.0.0.1')
const sa = udx.createStream(1)
const sb = udx.createStream(2)
sa.connect(a, 2, b.address().port, '127.0.0.1')
sb.connect(b, 1, a.address().port, '127.0.0.1')

const chunk = Buffer.alloc(65536, 0x5a)
let got = 0
const cpu0 = process.cpuUsage()
const t0 = process.hrtime.bigint()
sb.on('data', (d) => {
  got += d.length
  if (got === bytes) {
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    const c = process.cpuUsage(cpu0)
    console.log(JSON.stringify({ bytes, seconds, cpuSeconds: (c.user + c.system) / 1e6 }))
    process.exit(0)
  }
})
let left = bytes
const write = () => {
  while (left > 0) {
    const n = Math.min(chunk.length, left)
    left -= n
    if (!sa.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return sa.once('drain', write)
  }
}
write()
setTimeout(() => { console.error('udx-bench.js: timed out'); process.exit(5) }, 120000)
