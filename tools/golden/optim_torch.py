#!/usr/bin/python3
"""Golden values for Nonlinear.Optim and Nonlinear.Layers, produced by torch 1.13 on CPU in float32.

Run: /usr/bin/python3 tools/golden/optim_torch.py > tests/Nonlinear.Tests/fixtures/optim_torch.json
Every input (initial parameters, gradient sequences, layer inputs and weights) is written into the JSON,
so the C# tests replay exactly the same numbers. Floats are float32 values printed exactly (repr of the
double that holds them).
"""
import json, math, sys
import numpy as np
import torch

torch.set_num_threads(1)
rng = np.random.default_rng(20240601)

def f32(shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)

def flat(t):
    return [float(v) for v in np.asarray(t.detach() if isinstance(t, torch.Tensor) else t, dtype=np.float32).reshape(-1)]

STEPS = 10
shapes = [[5], [2, 3], [37]]  # 37: torch runs its vectorised loop on 32 elements and the scalar tail on 5
init = [f32(s) for s in shapes]
grads = [[f32(s) for s in shapes] for _ in range(STEPS)]

def run(make):
    ps = [torch.nn.Parameter(torch.tensor(p)) for p in init]
    opt = make(ps)
    traj = []
    for t in range(STEPS):
        for p, g in zip(ps, grads[t]):
            p.grad = torch.tensor(g)
        opt.step()
        traj.append([flat(p) for p in ps])
    return traj

S = torch.optim
configs = {
    "sgd_plain": dict(kind="sgd", lr=0.1),
    "sgd_momentum": dict(kind="sgd", lr=0.1, momentum=0.9),
    "sgd_nesterov": dict(kind="sgd", lr=0.1, momentum=0.9, nesterov=True),
    "sgd_weight_decay": dict(kind="sgd", lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "adam": dict(kind="adam", lr=1e-2),
    "adam_weight_decay": dict(kind="adam", lr=1e-2, betas=[0.8, 0.99], weight_decay=0.1),
    "adam_amsgrad": dict(kind="adam", lr=1e-2, amsgrad=True),
    "adamw": dict(kind="adamw", lr=1e-2, weight_decay=0.1),
}

def make_opt(cfg):
    kw = {k: v for k, v in cfg.items() if k != "kind"}
    if "betas" in kw: kw["betas"] = tuple(kw["betas"])
    if cfg["kind"] == "sgd": return lambda ps: S.SGD(ps, foreach=False, **kw)
    if cfg["kind"] == "adam": return lambda ps: S.Adam(ps, foreach=False, **kw)
    return lambda ps: S.AdamW(ps, foreach=False, **kw)

optim = {name: dict(config=cfg, trajectory=run(make_opt(cfg))) for name, cfg in configs.items()}

def lrs(make_sched, n=12, base=0.1):
    opt = S.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base)
    sch = make_sched(opt)
    out = [opt.param_groups[0]["lr"]]
    for _ in range(n):
        opt.step(); sch.step()
        out.append(opt.param_groups[0]["lr"])
    return out

sched = {
    "step_lr": dict(step_size=3, gamma=0.5, lrs=lrs(lambda o: S.lr_scheduler.StepLR(o, 3, 0.5))),
    "cosine": dict(t_max=5, eta_min=0.001, lrs=lrs(lambda o: S.lr_scheduler.CosineAnnealingLR(o, 5, 0.001))),
    "linear_warmup": dict(start_factor=0.25, steps=4, lrs=lrs(lambda o: S.lr_scheduler.LinearLR(o, 0.25, 1.0, 4))),
}

def clip_case(max_norm, norm_type):
    gs = [f32(s, 2.0) for s in shapes]
    ps = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
    for p, g in zip(ps, gs): p.grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
    return dict(max_norm=max_norm, norm_type=("inf" if norm_type == math.inf else norm_type),
                grads=[flat(g) for g in gs], total=float(total), clipped=[flat(p.grad) for p in ps])

clip = [clip_case(1.0, 2.0), clip_case(100.0, 2.0), clip_case(0.5, math.inf), clip_case(2.0, 1.0)]

def grads_of(y, inputs, gout):
    y.backward(gout)
    return [flat(t.grad) for t in inputs]

layers = {}
x = torch.tensor(f32([4, 3]), requires_grad=True)
w = torch.tensor(f32([2, 3]), requires_grad=True)
b = torch.tensor(f32([2]), requires_grad=True)
go = torch.tensor(f32([4, 2]))
y = torch.nn.functional.linear(x, w, b)
gx, gw, gb = grads_of(y, [x, w, b], go)
layers["linear"] = dict(x=flat(x), w=flat(w), b=flat(b), gout=flat(go), y=flat(y), gx=gx, gw=gw, gb=gb)

def layernorm_case(shape):
    x = torch.tensor(f32(shape, 3.0) + 1.0, requires_grad=True)
    w = torch.tensor(f32([shape[-1]]) + 1.0, requires_grad=True)
    b = torch.tensor(f32([shape[-1]]), requires_grad=True)
    go = torch.tensor(f32(shape))
    y = torch.nn.functional.layer_norm(x, [shape[-1]], w, b, 1e-5)
    gx, gw, gb = grads_of(y, [x, w, b], go)
    return dict(shape=shape, x=flat(x), w=flat(w), b=flat(b), gout=flat(go), y=flat(y), gx=gx, gw=gw, gb=gb)

layers["layernorm"] = layernorm_case([4, 5])
layers["layernorm3d"] = layernorm_case([2, 3, 6])

def batchnorm_case(shape):
    c = shape[1]
    bn = torch.nn.BatchNorm1d(c, eps=1e-5, momentum=0.1)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(f32([c]) + 1.0)); bn.bias.copy_(torch.tensor(f32([c])))
    x = torch.tensor(f32(shape, 2.0) + 0.5, requires_grad=True)
    go = torch.tensor(f32(shape))
    w0, b0 = flat(bn.weight), flat(bn.bias)
    bn.train()
    y = bn(x)
    gx, gw, gb = grads_of(y, [x, bn.weight, bn.bias], go)
    x2 = torch.tensor(f32(shape) + 0.5)
    y2 = bn(x2)  # second train step: running stats update twice
    bn.eval()
    x3 = torch.tensor(f32(shape))
    y3 = bn(x3)
    return dict(shape=shape, w=w0, b=b0, x=flat(x), gout=flat(go), y=flat(y), gx=gx, gw=gw, gb=gb,
                x2=flat(x2), y2=flat(y2), running_mean=flat(bn.running_mean), running_var=flat(bn.running_var),
                x3=flat(x3), y3_eval=flat(y3))

layers["batchnorm"] = batchnorm_case([6, 4])
layers["batchnorm3d"] = batchnorm_case([3, 4, 5])

json.dump(dict(generator="tools/golden/optim_torch.py", torch=torch.__version__, steps=STEPS, shapes=shapes,
               init=[flat(p) for p in init], grads=[[flat(g) for g in gs] for gs in grads],
               optim=optim, schedulers=sched, clip=clip, layers=layers), sys.stdout)
