// Instruction coverage that gets out of the way: each probe removes itself
// after its first hit, so covered code runs at full speed from then on.
// Engine target only (`wham run --target engine`): removing probes while
// the program runs is something the engine does.
use dyninstr;

wasm:opcode:*:before {
    report unshared var reached: bool;
    reached = true;
    dyninstr.remove_probe(probe_id);
}
