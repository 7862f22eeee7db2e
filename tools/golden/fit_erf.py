import numpy as np, mpmath as mp
mp.mp.dps=30
def fit(f, a, b, basis, deg, npts=3000):
    xs = np.cos(np.linspace(0, np.pi, npts))*(b-a)/2+(a+b)/2
    ys = np.array([float(f(mp.mpf(x))) for x in xs])
    B = basis(xs)
    A = np.array([[bb**k for k in range(deg+1)] for bb in B])
    w = 1/np.abs(ys)
    fixed = []
    for k in range(deg+1):
        res = ys - (A[:,:k]@np.array(fixed) if k else 0)
        c = np.linalg.lstsq(A[:,k:]*w[:,None], res*w, rcond=None)[0]
        # minimax-ish IRLS
        for it in range(40):
            r = np.abs((A[:,k:]@c-res)*w)
            ww = w*(r/r.max()+1e-2)
            c = np.linalg.lstsq(A[:,k:]*ww[:,None], res*ww, rcond=None)[0]
        fixed.append(float(np.float32(c[0])))
    c32=np.array(fixed)
    r = (A@c32-ys)/np.abs(ys)
    return c32, np.abs(r).max()
for d in [5,6]:
    c,e = fit(lambda x: mp.erf(x)/x, 1e-6, 0.92, lambda x: x*x, d); print('small',d,e, [repr(np.float32(v)) for v in c])
for d in [8,9,10]:
    c,e = fit(lambda z: mp.erfc(z)*mp.exp(z*z), 0.88, 10.0, lambda z: 2/(2+z), d); print('Q',d,e,[repr(np.float32(v)) for v in c])
def fit3(deg):
    a,b=1e-6,0.92; npts=3000
    xs = np.cos(np.linspace(0, np.pi, npts))*(b-a)/2+(a+b)/2
    g = np.array([float(mp.erf(mp.mpf(x))/mp.mpf(x)) for x in xs])
    ys = g-1; B=xs*xs
    A = np.array([[bb**k for k in range(deg+1)] for bb in B]); w=1/g
    fixed=[]
    for k in range(deg+1):
        res = ys - (A[:,:k]@np.array(fixed) if k else 0)
        c = np.linalg.lstsq(A[:,k:]*w[:,None], res*w, rcond=None)[0]
        for it in range(40):
            r = np.abs((A[:,k:]@c-res)*w); ww = w*(r/r.max()+1e-2)
            c = np.linalg.lstsq(A[:,k:]*ww[:,None], res*ww, rcond=None)[0]
        fixed.append(float(np.float32(c[0])))
    c32=np.array(fixed); r=(A@c32-ys)*w
    return c32, np.abs(r).max()
for d in [5,6]:
    c,e=fit3(d); print('small2',d,e,[repr(np.float32(v)) for v in c])

# fit_tanh: tanh(x)/x − 1 = x²·P(x²) on |x| < 0.625 (VMath.Tanh's small branch), degree 5 in x².
def fit_tanh(deg, b=0.625):
    npts = 3000; a = 1e-4
    xs = np.cos(np.linspace(0, np.pi, npts)) * (b - a) / 2 + (a + b) / 2
    gv = np.array([float(mp.tanh(mp.mpf(x)) / mp.mpf(x)) for x in xs])
    ys = gv - 1; B = xs * xs
    A = np.array([[bb**(k + 1) for k in range(deg + 1)] for bb in B]); w = 1 / gv
    fixed = []
    for k in range(deg + 1):
        res = ys - (A[:, :k] @ np.array(fixed) if k else 0)
        c = np.linalg.lstsq(A[:, k:] * w[:, None], res * w, rcond=None)[0]
        for it in range(40):
            r = np.abs((A[:, k:] @ c - res) * w); ww = w * (r / r.max() + 1e-2)
            c = np.linalg.lstsq(A[:, k:] * ww[:, None], res * ww, rcond=None)[0]
        fixed.append(float(np.float32(c[0])))
    c32 = np.array(fixed); r = (A @ c32 - ys) * w
    return c32, np.abs(r).max()
c, e = fit_tanh(5); print('tanh', 5, e, [repr(np.float32(v)) for v in c])

# VMath.NormalCdf: one fit of erfc(z)·e^(z²) in t = 2/(2+z) over the whole range 0 ≤ z ≤ 10.61 (|x| ≤ 15), degree 12.
c, e = fit(lambda z: mp.erfc(z) * mp.exp(z * z), 0.0, 10.61, lambda z: 2 / (2 + z), 12)
print('Qfull', 12, e, [repr(np.float32(v)) for v in c])
