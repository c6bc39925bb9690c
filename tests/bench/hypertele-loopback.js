'use strict'
// Preload for hypertele on loopback: node --require ./hypertele-loopback.js server.js ...
// hypertele gives its HyperDHT a bootstrap but no host, so the node binds 0.0.0.0 and
// advertises the machine's outward address; two hypertele processes on one machine then time
// out after ~13 s. This hands hypertele a HyperDHT subclass pinned to 127.0.0.1.
const Module = require('module')

const load = Module._load
const pinned = new Map()
Module._load = function (request, parent, isMain) {
  const exported = load.call(this, request, parent, isMain)
  if (request !== 'hyperdht') return exported
  if (!pinned.has(exported)) {
    pinned.set(exported, class LoopbackDHT extends exported {
      constructor (opts = {}) {
        super({ host: '127.0.0.1', ...opts })
      }
    })
  }
  return pinned.get(exported)
}
