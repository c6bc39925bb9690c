// TEMPORARY: link stand-in for core/engine/engine.cpp while it is being written on main, so the
// UI and its dialog/model tests build on the gui branch. start() fails with a clear message.
// Deleted by the merge that brings the real engine (CMake only compiles this when it is absent).
#include "engine/engine.hpp"

namespace peerport::engine {

struct Engine::Impl {};

Engine::Engine(Config, EngineListener&) {}
Engine::~Engine() = default;
Status Engine::start() { return make_error(Errc::invalid_value, "the engine is not in this build yet"); }
void Engine::post(Command) {}
void Engine::stop(std::chrono::milliseconds) {}
bool Engine::running() const { return false; }

}  // namespace peerport::engine
