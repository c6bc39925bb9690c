// hyperdht records between C++ and JS hyperdht 6.34 on a loopback testnet: a mutable record put
// by C++ is read by JS mutableGet and the other way round; the same for immutable values. The
// C++ node is persistent, so it also stores what the JS client puts.
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "../support/js_testnet.hpp"
#include "crypto/key_text.hpp"
#include "hyperdht/dht.hpp"

using namespace peerport;
using namespace std::chrono_literals;
using nlohmann::json;
using peerport::test::JsTestnet;
using peerport::test::Loop;

TEST(RecordsInterop, MutableAndImmutableBothWays) {
  ASSERT_TRUE(crypto::init().ok());
  JsTestnet js;
  auto boot_addr = js.ready(60s);
  ASSERT_TRUE(boot_addr) << "the JS testnet did not start";

  Loop l;
  {
    udx::Udx udx(&l.loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    opts.ephemeral = false;  // a storage node too
    hyperdht::Dht dht(udx, opts);
    ASSERT_TRUE(dht.start().ok());
    ASSERT_TRUE(l.run_until([&] { return dht.node().bootstrapped(); }, 30000));

    // C++ puts a mutable record; JS reads it.
    auto kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'a')));
    std::optional<std::size_t> stored;
    dht.mutable_put(kp, Bytes{'f', 'r', 'o', 'm', ' ', 'C', '+', '+'}, 4,
                    [&](Status st, std::size_t n) {
                      EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
                      stored = n;
                    });
    ASSERT_TRUE(l.run_until([&] { return stored.has_value(); }, 30000));
    EXPECT_GE(*stored, 5u);
    auto got = l.call(js, {{"op", "mutableGet"}, {"publicKey", to_hex(kp.public_key)}});
    ASSERT_TRUE(got);
    EXPECT_EQ((*got)["value"], to_hex(as_bytes("from C++"))) << got->dump();
    EXPECT_EQ((*got)["seq"], 4);

    // JS puts a mutable record; C++ reads it, signature checked.
    auto kp2 = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'b')));
    auto put = l.call(js, {{"op", "mutablePut"},
                           {"seed", std::string(64, 'b')},
                           {"value", to_hex(as_bytes("from JS"))},
                           {"seq", 9}});
    ASSERT_TRUE(put && put->value("ok", false)) << (put ? put->dump() : "no answer");
    std::optional<Result<hyperdht::MutableRecord>> rec;
    dht.mutable_get(kp2.public_key, 0,
                    [&](Result<hyperdht::MutableRecord> r) { rec = std::move(r); });
    ASSERT_TRUE(l.run_until([&] { return rec.has_value(); }, 30000));
    ASSERT_TRUE(rec->ok()) << rec->error().message;
    EXPECT_EQ((*rec)->seq, 9u);
    EXPECT_EQ(std::string((*rec)->value.begin(), (*rec)->value.end()), "from JS");

    // Immutable, C++ to JS.
    const std::string imm = "immutable from C++";
    std::optional<std::size_t> istored;
    dht.immutable_put(Bytes(imm.begin(), imm.end()), [&](Status st, std::size_t n) {
      EXPECT_TRUE(st.ok());
      istored = n;
    });
    ASSERT_TRUE(l.run_until([&] { return istored.has_value(); }, 30000));
    EXPECT_GE(*istored, 5u);
    auto iget =
        l.call(js, {{"op", "immutableGet"}, {"hash", to_hex(crypto::blake2b_256(as_bytes(imm)))}});
    ASSERT_TRUE(iget);
    EXPECT_EQ((*iget)["value"], to_hex(as_bytes(imm))) << iget->dump();

    // Immutable, JS to C++.
    auto iput =
        l.call(js, {{"op", "immutablePut"}, {"value", to_hex(as_bytes("immutable from JS"))}});
    ASSERT_TRUE(iput && iput->contains("hash")) << (iput ? iput->dump() : "no answer");
    auto hash = from_hex((*iput)["hash"].get<std::string>());
    crypto::Hash32 target{};
    std::copy(hash->begin(), hash->end(), target.begin());
    std::optional<Result<Bytes>> val;
    dht.immutable_get(target, [&](Result<Bytes> r) { val = std::move(r); });
    ASSERT_TRUE(l.run_until([&] { return val.has_value(); }, 30000));
    ASSERT_TRUE(val->ok()) << val->error().message;
    EXPECT_EQ(std::string((*val)->begin(), (*val)->end()), "immutable from JS");

    // Our node took part as storage for the JS client's puts.
    EXPECT_GE(dht.storage_stats().stored_mutables, 1u);
    EXPECT_GE(dht.storage_stats().stored_immutables, 1u);
    EXPECT_EQ(dht.storage_stats().bad_signatures, 0u);

    // A key nobody wrote: a clear error in bounded time.
    crypto::PublicKey unknown{};
    randombytes_buf(unknown.data(), unknown.size());
    std::optional<Result<hyperdht::MutableRecord>> none;
    dht.mutable_get(unknown, 0, [&](Result<hyperdht::MutableRecord> r) { none = std::move(r); });
    ASSERT_TRUE(l.run_until([&] { return none.has_value(); }, 40000));
    ASSERT_FALSE(none->ok());
    EXPECT_NE(none->error().message.find("no record"), std::string::npos) << none->error().message;
  }
  js.p.close_stdin();
  auto status = js.p.wait(30s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

TEST(RecordsInterop, AnnounceLookupAndFindPeerBothWays) {
  ASSERT_TRUE(crypto::init().ok());
  JsTestnet js;
  auto boot_addr = js.ready(60s);
  ASSERT_TRUE(boot_addr) << "the JS testnet did not start";
  Loop l;
  {
    udx::Udx udx(&l.loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    hyperdht::Dht dht(udx, opts);  // an ephemeral client, as a PeerPort app is
    ASSERT_TRUE(dht.start().ok());
    ASSERT_TRUE(l.run_until([&] { return dht.node().bootstrapped(); }, 30000));

    // C++ announces under a topic; JS lookup finds it.
    auto topic = crypto::blake2b_256(as_bytes("peerport interop topic"));
    auto a = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'c')));
    std::optional<std::size_t> announced;
    dht.announce(topic, a, {}, [&](Status st, std::size_t n) {
      EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
      announced = n;
    });
    ASSERT_TRUE(l.run_until([&] { return announced.has_value(); }, 30000));
    EXPECT_GE(*announced, 5u);
    auto found = l.call(js, {{"op", "lookup"}, {"target", to_hex(topic)}});
    ASSERT_TRUE(found);
    EXPECT_NE(found->dump().find(to_hex(a.public_key)), std::string::npos) << found->dump();

    // JS announces under another topic; C++ lookup finds it.
    auto topic2 = crypto::blake2b_256(as_bytes("peerport interop topic 2"));
    auto b = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'd')));
    auto ann = l.call(
        js, {{"op", "announce"}, {"seed", std::string(64, 'd')}, {"target", to_hex(topic2)}});
    ASSERT_TRUE(ann && ann->value("ok", false)) << (ann ? ann->dump() : "no answer");
    std::optional<std::vector<hyperdht::Peer>> peers;
    dht.lookup(topic2, [&](std::vector<hyperdht::Peer> p) { peers = std::move(p); });
    ASSERT_TRUE(l.run_until([&] { return peers.has_value(); }, 30000));
    EXPECT_TRUE(std::any_of(peers->begin(), peers->end(),
                            [&](const hyperdht::Peer& p) { return p.public_key == b.public_key; }));

    // A JS server listens; C++ finds it by its key alone.
    auto srv = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'e')));
    auto listen = l.call(js, {{"op", "listen"}, {"seed", std::string(64, 'e')}});
    ASSERT_TRUE(listen && listen->value("ok", false)) << (listen ? listen->dump() : "no answer");
    std::optional<Result<std::pair<hyperdht::Peer, dht::Address>>> fp;
    dht.find_peer(srv.public_key, [&](auto r) { fp = std::move(r); });
    ASSERT_TRUE(l.run_until([&] { return fp.has_value(); }, 30000));
    ASSERT_TRUE(fp->ok()) << fp->error().message;
    EXPECT_EQ((*fp)->first.public_key, srv.public_key);

    // And an unknown key is reported as not found, in bounded time.
    std::optional<Result<std::pair<hyperdht::Peer, dht::Address>>> nf;
    dht.find_peer(b.public_key, [&](auto r) { nf = std::move(r); });
    ASSERT_TRUE(l.run_until([&] { return nf.has_value(); }, 40000));
    ASSERT_FALSE(nf->ok());
    EXPECT_EQ(nf->error().code, Errc::peer_not_found) << nf->error().message;
  }
  js.p.close_stdin();
  auto status = js.p.wait(30s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}
