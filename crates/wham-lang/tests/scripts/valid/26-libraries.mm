// covers: `use`, library calls as statements and as i32 values, @static in a predicate, a body and an unshared initialiser (nested), @init inside a probe
use cache;
use toggle;

report var hits: u32;
report var misses: u32;

wasm:opcode:i32.load|i64.load:before / @static toggle.enabled(fid as i32, pc as i32) != 0 / {
    unshared var salt: i32 = @static toggle.seed(@static toggle.base(), fid as i32);
    @init cache.register(fid as i32, pc as i32);
    var packed: i32 = cache.access((effective_addr as i32) ^ salt, data_size as i32);
    hits = hits + ((packed >> 16) as u32);
    misses = misses + ((packed & 0xFFFF) as u32);
    cache.touch(packed);
    var level: i32 = @static toggle.level();
    if (level > 2) {
        cache.touch(level);
    }
}
