#!/usr/bin/python3
"""Golden LBFGS trajectories from torch 1.13 (torch.optim.LBFGS, line_search_fn='strong_wolfe'), float32.

Run: /usr/bin/python3 tools/golden/lbfgs_torch.py > tests/Nonlinear.Tests/fixtures/lbfgs_torch.json
Each case records the start point, the optimiser settings and, after every outer step(), the parameters,
the loss returned by step() and torch's state counters (n_iter, func_evals). The C# test replays the same
problem with a closure that evaluates the loss and gradient in float32 as torch does.
"""
import json
import torch

torch.set_num_threads(1)


def rosenbrock(x):
    return torch.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


A = torch.tensor([[4.0, 1.0, 0.5, 0.0], [1.0, 3.0, 0.2, 0.1], [0.5, 0.2, 2.0, 0.3], [0.0, 0.1, 0.3, 1.0]])
B = torch.tensor([1.0, -2.0, 0.5, 3.0])


def quadratic(x):
    a, b = A.to(x.dtype), B.to(x.dtype)
    return 0.5 * x @ (a @ x) - b @ x


def trajectory(fn, x0, steps, dtype, kw):
    x = torch.nn.Parameter(torch.tensor(x0, dtype=dtype))
    opt = torch.optim.LBFGS([x], line_search_fn="strong_wolfe", **kw)

    def closure():
        opt.zero_grad()
        loss = fn(x)
        loss.backward()
        return loss

    traj = []
    for _ in range(steps):
        ret = opt.step(closure)
        st = opt.state[x]
        traj.append(dict(x=[float(v) for v in x.detach()], step_loss=float(ret), loss_after=float(fn(x.detach())),
                         n_iter=int(st["n_iter"]), func_evals=int(st["func_evals"])))
    return traj


def run(name, fn, x0, steps, **kw):
    """float32 trajectory, plus the float64 one's iterates as x_f64: their gap measures how sensitive the
    problem is to rounding, which bounds how close a float32 reimplementation can be expected to stay."""
    t32 = trajectory(fn, x0, steps, torch.float32, kw)
    t64 = trajectory(fn, x0, steps, torch.float64, kw)
    for a, b in zip(t32, t64):
        a["x_f64"] = b["x"]
    return dict(name=name, x0=x0, options=kw, trajectory=t32)


cases = [
    run("quadratic4", quadratic, [0.0, 0.0, 0.0, 0.0], 2, lr=1, max_iter=4, history_size=10),
    run("rosenbrock2", rosenbrock, [-1.5, 2.0], 6, lr=1, max_iter=4, history_size=10),
    run("rosenbrock2_hist3", rosenbrock, [-1.2, 1.0], 5, lr=0.5, max_iter=3, history_size=3),
]
print(json.dumps(dict(generator="tools/golden/lbfgs_torch.py", torch=torch.__version__,
                      quadratic=dict(A=A.tolist(), b=B.tolist()), cases=cases), indent=1))
