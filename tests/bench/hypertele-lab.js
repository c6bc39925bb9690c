'use strict'
// Preload for hypertele in the NAT lab: node --require ./hypertele-lab.js server.js ...
// hypertele's --bootstrap takes a port and always means 127.0.0.1; in the lab the DHT is
// elsewhere. This hands hypertele a HyperDHT subclass whose bootstrap is HYPERTELE_BOOTSTRAP
// (host:port[,host:port...], what tests/lab/lab.sh writes to its bootstrap file).
const Module = require('module')

const nodes = (process.env.HYPERTELE_BOOTSTRAP || '').split(',').filter(Boolean).map((a) => {
  const i = a.lastIndexOf(':')
  return { host: a.slice(0, i), port: Number(a.slice(i + 1)) }
})
if (nodes.length === 0) throw new Error('hypertele-lab.js: set HYPERTELE_BOOTSTRAP=host:port')

const load = Module._load
const wrapped = new Map()
Module._load = function (request, parent, isMain) {
  const exported = load.call(this, request, parent, isMain)
  if (request !== 'hyperdht') return exported
  if (!wrapped.has(exported)) {
    wrapped.set(exported, class LabDHT extends exported {
      constructor (opts = {}) {
        super({ ...opts, bootstrap: nodes })
      }
    })
  }
  return wrapped.get(exported)
}
