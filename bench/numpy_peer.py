#!/usr/bin/env python3
"""The NumPy peer of `npm run bench`: the bench's computations written the way a careful NumPy user
would write them (vectorised over trajectories and seeds, CSR arrays, np.bincount for sparse
propagation, no Python loop over states), run on the very MDPs, policies and dataset the TypeScript
side exported.

    python3 bench/numpy_peer.py MANIFEST.json [--quick]

First it checks that both sides computed the same numbers (exact evaluation and BC counting exactly
on the same inputs; sampling and the sweep, which use different random generators, by their
statistics), then it times each operation (median CPU time of several runs after a warm-up) and prints one
JSON object on stdout: {"numpy": version, "rows": [{"id", "ms", "match", "detail"}]}.
"""
import json
import os
import resource
import sys
import time

import numpy as np


def load(manifest_path):
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    base = os.path.dirname(manifest_path)
    arrays = {}
    for name, spec in manifest["arrays"].items():
        arrays[name] = np.fromfile(os.path.join(base, spec["file"]), dtype=spec["dtype"]).reshape(spec["shape"])
    return manifest, arrays


class Mdp:
    """CSR transitions over rows s*nA + a, plus the optional rank-one reset part (mass per row, `to`)."""

    def __init__(self, a, prefix, nS, nA, H):
        self.nS, self.nA, self.H = nS, nA, H
        self.row_start = a[prefix + "rowStart"].astype(np.int64)
        self.next = a[prefix + "next"].astype(np.int64)
        self.prob = a[prefix + "prob"]
        self.reward = a[prefix + "reward"]
        self.rho = a[prefix + "rho"]
        self.reset_mass = a.get(prefix + "resetMass")
        self.reset_to = a.get(prefix + "resetTo")
        rows = nS * nA
        lengths = np.diff(self.row_start)
        self.row_of_entry = np.repeat(np.arange(rows), lengths)
        # Inverse-CDF sampling: each row's cumulative probabilities padded to the longest row, so one
        # comparison against a (K, width) gather draws K successors at once.
        pos = np.arange(len(self.next)) - np.repeat(self.row_start[:-1], lengths)
        cum = np.cumsum(self.prob)
        row_base = np.concatenate(([0.0], cum))[self.row_start[:-1]]
        self.cum_pad = np.full((rows, max(int(lengths.max()), 1)), np.inf)
        self.cum_pad[self.row_of_entry, pos] = cum - np.repeat(row_base, lengths)
        self.sparse_total = np.bincount(self.row_of_entry, weights=self.prob, minlength=rows)
        self.rho_cum = np.cumsum(self.rho)
        self.reset_cum = None if self.reset_to is None else np.cumsum(self.reset_to)

    def rows_entries(self, rows):
        """Entry indices and their position in `rows` for a subset of rows (a deterministic policy's)."""
        starts = self.row_start[rows]
        lengths = self.row_start[rows + 1] - starts
        seg = np.repeat(np.arange(len(rows)), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return starts[seg] + offsets, seg


# ---------------------------------------------------------------- exact evaluation

def backward_stochastic(m, pi):
    """V(pi) for a stationary stochastic policy pi (nS, nA): Q = r + P V, V = sum_a pi Q."""
    V = np.zeros(m.nS)
    rows = m.nS * m.nA
    for h in range(m.H - 1, -1, -1):
        Q = m.reward.copy()
        if h < m.H - 1:
            Q += np.bincount(m.row_of_entry, weights=m.prob * V[m.next], minlength=rows)
            if m.reset_mass is not None:
                Q += m.reset_mass * (m.reset_to @ V)
        V = (pi * Q.reshape(m.nS, m.nA)).sum(axis=1)
    return m.rho @ V


def deterministic_steps(m, actions):
    """Per step h: the rows the policy takes and their CSR entries (built once, reused by every run)."""
    out = []
    for h in range(m.H):
        rows = np.arange(m.nS) * m.nA + actions[h]
        entries, seg = m.rows_entries(rows)
        out.append((rows, entries, seg))
    return out


def backward_deterministic(m, steps):
    V = np.zeros(m.nS)
    for h in range(m.H - 1, -1, -1):
        rows, entries, seg = steps[h]
        q = m.reward[rows].copy()
        if h < m.H - 1:
            q += np.bincount(seg, weights=m.prob[entries] * V[m.next[entries]], minlength=m.nS)
            if m.reset_mass is not None:
                q += m.reset_mass[rows] * (m.reset_to @ V)
        V = q
    return m.rho @ V


def forward_stochastic(m, pi):
    """d_h(s) for every step and V(pi) = sum_h <d_h pi_h, r>."""
    d = m.rho.copy()
    dS = np.empty((m.H, m.nS))
    flat_pi = pi.ravel()
    value = 0.0
    for h in range(m.H):
        dS[h] = d
        w = np.repeat(d, m.nA) * flat_pi
        value += w @ m.reward
        if h < m.H - 1:
            d = np.bincount(m.next, weights=w[m.row_of_entry] * m.prob, minlength=m.nS)
            if m.reset_mass is not None:
                d += (w @ m.reset_mass) * m.reset_to
    return value, dS


def forward_deterministic(m, steps):
    d = m.rho.copy()
    dS = np.empty((m.H, m.nS))
    value = 0.0
    for h in range(m.H):
        rows, entries, seg = steps[h]
        dS[h] = d
        value += d @ m.reward[rows]
        if h < m.H - 1:
            d_next = np.bincount(m.next[entries], weights=d[seg] * m.prob[entries], minlength=m.nS)
            if m.reset_mass is not None:
                d_next += (d @ m.reset_mass[rows]) * m.reset_to
            d = d_next
    return value, dS


# ---------------------------------------------------------------- sampling and BC

def sample(m, actions, K, H, rng):
    """K trajectories of a deterministic policy (actions (H or 1, nS)), all advanced together per step;
    stored step-major (contiguous writes) and returned as (K, H) views."""
    states = np.empty((H, K), dtype=np.int64)
    acts = np.empty((H, K), dtype=np.int64)
    rewards = np.empty((H, K))
    s = np.searchsorted(m.rho_cum, rng.random(K), side="right")
    np.minimum(s, m.nS - 1, out=s)
    stationary = actions.shape[0] == 1
    for h in range(H):
        a = actions[0 if stationary else h][s]
        row = s * m.nA + a
        states[h] = s
        acts[h] = a
        rewards[h] = m.reward[row]
        if h == H - 1:
            break
        u = rng.random(K)
        j = (m.cum_pad[row] <= u[:, None]).sum(axis=1)
        # Rounding can leave u just past a row's total: take the row's last entry, as the core does.
        k = np.minimum(m.row_start[row] + j, m.row_start[row + 1] - 1)
        s_next = m.next[k]
        if m.reset_mass is not None:
            total = m.sparse_total[row]
            reset = u >= total
            if reset.any():
                v = (u[reset] - total[reset]) / m.reset_mass[row[reset]]
                r = np.searchsorted(m.reset_cum, v, side="right")
                s_next[reset] = np.minimum(r, m.nS - 1)
        s = s_next
    return states.T, acts.T, rewards.T


def bc_counts(nS, nA, states, actions):
    """Per-step BC counts n_h(s, a) in the core's compact form: seen (h, s) rows only, sorted, each with
    its nonzero counts as (action, count) entries in action order."""
    N, H = states.shape
    key = ((np.arange(H) * nS + states) * nA + actions).ravel()
    c = np.bincount(key, minlength=H * nS * nA)
    nz = np.flatnonzero(c)
    row_key = nz // nA
    first = np.flatnonzero(np.r_[True, row_key[1:] != row_key[:-1]])
    seen = row_key[first]
    block_start = np.searchsorted(seen, np.arange(H + 1) * nS)
    return block_start, seen % nS, np.r_[first, len(nz)], nz % nA, c[nz]


# ---------------------------------------------------------------- the Reset Cliff sweep

def sweep(m_base, expert_action, N, horizons, seeds, rng):
    """Gap of per-step BC for each H: all seeds' datasets sampled at once, counted with one bincount,
    and every seed's BC policy evaluated together by a batched backward induction."""
    nS, nA = m_base.nS, m_base.nA
    rows = nS * nA
    batch_rows = (np.arange(seeds)[:, None] * rows + m_base.row_of_entry[None, :]).ravel()
    out = []
    for H in horizons:
        m_base.H = H
        states, acts, _ = sample(m_base, expert_action[None, :], seeds * N, H, rng)
        seed_of = np.repeat(np.arange(seeds), N)
        key = (((seed_of[:, None] * H + np.arange(H)) * nS + states) * nA + acts).ravel()
        c = np.bincount(key, minlength=seeds * H * rows).reshape(seeds, H, nS, nA).astype(np.float64)
        total = c.sum(axis=3, keepdims=True)
        pi = np.where(total > 0, c / np.maximum(total, 1), 1.0 / nA)
        V = np.zeros((seeds, nS))
        for h in range(H - 1, -1, -1):
            Q = np.broadcast_to(m_base.reward, (seeds, rows)).copy()
            if h < H - 1:
                Q += np.bincount(batch_rows, weights=(m_base.prob[None, :] * V[:, m_base.next]).ravel(), minlength=seeds * rows).reshape(seeds, rows)
                if m_base.reset_mass is not None:
                    Q += m_base.reset_mass[None, :] * (V @ m_base.reset_to)[:, None]
            V = (pi[:, h] * Q.reshape(seeds, nS, nA)).sum(axis=2)
        learner = V @ m_base.rho
        expert = backward_deterministic(m_base, deterministic_steps(m_base, np.broadcast_to(expert_action, (H, nS))))
        gaps = expert - learner
        out.append((H, gaps.mean(), gaps.std(ddof=1) / np.sqrt(seeds)))
    return out


# ---------------------------------------------------------------- checks and timing

def timed(fn, repetitions):
    """Median CPU time in ms (the bench machine is shared: waiting for a core is not work) and median
    minor page faults per run (first touches of fresh memory); the TypeScript side measures the same
    way (process.cpuUsage, process.resourceUsage), after the same three warm-up runs."""
    for _ in range(3):
        fn()
    samples = []
    faults = []
    for _ in range(repetitions):
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t0 = time.process_time()
        fn()
        samples.append((time.process_time() - t0) * 1e3)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
    return sorted(samples)[len(samples) // 2], sorted(faults)[len(faults) // 2]


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    path = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    manifest, a = load(path)
    ts = manifest["results"]
    g = manifest["garnet"]
    m = Mdp(a, "garnet.", g["nS"], g["nA"], g["H"])
    uniform = a["uniform.prob"].reshape(m.nS, m.nA)
    expert = a["expert.action"].reshape(m.H, m.nS).astype(np.int64)
    steps = deterministic_steps(m, expert)
    reps = 3 if quick else 9
    rows = []

    for label, back, fwd in (
        ("stochastic", lambda: backward_stochastic(m, uniform), lambda: forward_stochastic(m, uniform)),
        ("deterministic", lambda: backward_deterministic(m, steps), lambda: forward_deterministic(m, steps)),
    ):
        v_ts = ts[f"V.{label}"]
        v = back()
        fv, dS = fwd()
        d_ts = a[f"ts.visitation.{label}"].reshape(m.H, m.nS)
        v_err = rel(v, v_ts)
        fv_err = rel(fv, v_ts)
        d_err = float(np.max(np.abs(dS - d_ts)))
        rows.append({"id": f"backward.{label}", "timed": timed(back, reps), "match": bool(v_err <= 1e-9),
                     "detail": f"V = {v:.12g} (TS {v_ts:.12g}, rel. diff {v_err:.1e})"})
        rows.append({"id": f"forward.{label}", "timed": timed(fwd, reps), "match": bool(fv_err <= 1e-9 and d_err <= 1e-9),
                     "detail": f"max |d_h(s) − TS| = {d_err:.1e}, V rel. diff {fv_err:.1e}"})

    # Sampling: different generators, so compare the mean return with the exact V(expert).
    Ns = manifest["sampling"]["N"]
    rng = np.random.default_rng(12345)
    _, _, rewards = sample(m, expert, Ns, m.H, rng)
    returns = rewards.sum(axis=1)
    mean, se = returns.mean(), returns.std(ddof=1) / np.sqrt(Ns)
    v_exp = ts["V.deterministic"]
    z = abs(mean - v_exp) / se
    rows.append({"id": "sampling", "timed": timed(lambda: sample(m, expert, Ns, m.H, rng), reps), "match": bool(z <= 4),
                 "detail": f"mean return {mean:.4f} ± {se:.4f} vs exact V {v_exp:.4f} ({z:.1f} s.e.)"})

    # BC counting on the dataset the TypeScript side sampled: the counts must be identical.
    ds = a["data.states"].astype(np.int64).reshape(Ns, m.H)
    da = a["data.actions"].astype(np.int64).reshape(Ns, m.H)
    bs, st, es, ea, ec = bc_counts(m.nS, m.nA, ds, da)
    same = (np.array_equal(bs, a["bc.blockStart"]) and np.array_equal(st, a["bc.states"])
            and np.array_equal(es, a["bc.entryStart"]) and np.array_equal(ea, a["bc.entryAction"])
            and np.array_equal(ec.astype(np.float64), a["bc.entryCount"]))
    rows.append({"id": "bc", "timed": timed(lambda: bc_counts(m.nS, m.nA, ds, da), reps), "match": bool(same),
                 "detail": f"{len(st)} seen (h, s) rows, counts {'identical' if same else 'DIFFER'}"})

    # The Reset Cliff sweep: each H's mean gap within 4 combined standard errors of the TypeScript one.
    rc = manifest["resetCliff"]
    mrc = Mdp(a, "rc.", rc["nS"], rc["nA"], 1)
    rc_expert = a["rc.expert"].astype(np.int64)
    srng = np.random.default_rng(2024)
    result = sweep(mrc, rc_expert, rc["N"], rc["horizons"], rc["seeds"], srng)
    worst = 0.0
    for (H, mean, se), row in zip(result, ts["sweep"]):
        worst = max(worst, abs(mean - row["mean"]) / np.hypot(se, row["se"]))
    rows.append({"id": "sweep", "timed": timed(lambda: sweep(mrc, rc_expert, rc["N"], rc["horizons"], rc["seeds"], srng), 3 if quick else 7),
                 "match": bool(worst <= 4), "detail": f"mean gaps within {worst:.1f} combined s.e. of TS for every H"})

    for r in rows:
        ms, faults = r.pop("timed")
        r["ms"] = float(ms)
        r["faults"] = int(faults)
    print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0], "rows": rows}))


if __name__ == "__main__":
    main()
