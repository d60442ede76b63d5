#!/usr/bin/env python3
"""Independent reference for the literals pinned in tests/sim/stream_pin_test.cpp.

Written from the published algorithm definitions, not from m2msim's code:
  SplitMix64   Steele, Lea & Flood (OOPSLA 2014); Vigna's splitmix64.c
  FNV-1a 64    Fowler/Noll/Vo (offset basis 0xcbf29ce484222325, prime 0x100000001b3)
  xoshiro256** Blackman & Vigna (ACM TOMS 2021), xoshiro256starstar.c, seeded
               with four SplitMix64 outputs as the authors recommend
and the stream-naming rule documented in docs/architecture.md (Determinism):
  seed' = SM(SM(SM(SM(seed) ^ replication) ^ entity) ^ FNV1a(purpose)),
where SM(x) is one SplitMix64 step from state x.

Run it to print the table: python3 tests/sim/reference_streams.py
"""
M = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def sm(x):
    return splitmix64(x)[1]


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001B3) & M
    return h


def derive(seed, replication, entity, purpose):
    return sm(sm(sm(sm(seed) ^ replication) ^ entity) ^ fnv1a64(purpose))


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def xoshiro_first(seed, n):
    st, s = seed, []
    for _ in range(4):
        st, v = splitmix64(st)
        s.append(v)
    out = []
    for _ in range(n):
        out.append((rotl((s[1] * 5) & M, 7) * 9) & M)
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


# The purposes the native engine names its streams by (group "meters").
PURPOSES = ["placement/meters", "traffic/meters", "mac/meters", "downlink/meters", "indoor/meters",
            "los/meters", "shadowing/meters", "shadowing/gw-a"]

if __name__ == "__main__":
    for p in PURPOSES:
        d = derive(42, 3, 17, p)
        print(f'{{"{p}", 0x{d:016X}ULL, 0x{xoshiro_first(d, 1)[0]:016X}ULL}},')
    d = derive(7, 2, 5, "sweep")
    print(f"sweep seed (7, 2, 5): {d}  (0x{d:016X})")
