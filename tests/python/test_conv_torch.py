"""conv2d / conv_transpose2d against Debian's PyTorch through ctypes: random shapes, strides, paddings,
dilations, groups, output paddings and batch 0..2 in float64; forward and the grads of input, weight and
bias; shape errors as TENSOR_ERR_SHAPE. Exits 77 (skipped) when torch is not importable."""
import ctypes as C
import random
import sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("torch not available: skipping")
    sys.exit(77)

L = C.CDLL(sys.argv[1])
P=C.c_void_p; I64=C.c_int64*2
class Dev(C.Structure): _fields_=[('type',C.c_int32),('index',C.c_int32)]
class Opt(C.Structure): _fields_=[('version',C.c_uint32),('dtype',C.c_int32),('device',Dev),('rg',C.c_bool)]
OPT=Opt(1,1,Dev(0,0),False)
def mk(a):
    a=np.ascontiguousarray(a,dtype=np.float64); out=P(); sh=(C.c_int64*a.ndim)(*a.shape)
    assert L.tensor_from_data(C.byref(out), a.ctypes.data_as(P), sh, C.c_int32(a.ndim), C.byref(OPT))==0, "from"
    return out
def host(t,shape):
    a=np.empty(shape); assert L.tensor_copy_to_host(t,a.ctypes.data_as(P),C.c_size_t(a.nbytes))==0; return a
random.seed(0); bad=0
for it in range(60):
    tr = it%3==2
    g=random.choice([1,2]); N=random.choice([0,1,2]); Ci=g*random.randint(1,3); O=g*random.randint(1,3)
    kh,kw=random.randint(1,3),random.randint(1,3); s=[random.randint(1,2),random.randint(1,2)]; p=[random.randint(0,1),random.randint(0,2)]; d=[random.randint(1,2),random.randint(1,2)]
    H,W=random.randint(4,7),random.randint(4,7)
    x=torch.randn(N,Ci,H,W,dtype=torch.float64,requires_grad=True)
    w=torch.randn(*( (Ci,O//g,kh,kw) if tr else (O,Ci//g,kh,kw)),dtype=torch.float64,requires_grad=True)
    b=torch.randn(O,dtype=torch.float64,requires_grad=True)
    if tr:
        op=[random.randint(0,max(s[i],d[i])-1) for i in range(2)]
        try: y=F.conv_transpose2d(x,w,b,s,p,op,g,d)
        except RuntimeError: continue
    else:
        try: y=F.conv2d(x,w,b,s,p,d,g)
        except RuntimeError: continue
    gy=torch.randn_like(y); y.backward(gy)
    tx,tw,tb=mk(x.detach().numpy()),mk(w.detach().numpy()),mk(b.detach().numpy())
    for t in (tx,tw,tb): L.tensor_set_requires_grad(t,True)
    out=P()
    st = L.tensor_conv_transpose2d(C.byref(out),tx,tw,tb,I64(*s),I64(*p),I64(*op),I64(*d),C.c_int64(g)) if tr else L.tensor_conv2d(C.byref(out),tx,tw,tb,I64(*s),I64(*p),I64(*d),C.c_int64(g))
    assert st==0, st
    ok=np.allclose(host(out,tuple(y.shape)),y.detach().numpy(),atol=1e-10)
    assert L.tensor_backward(out,mk(gy.numpy()),False)==0
    for tt,ref in ((tx,x),(tw,w),(tb,b)):
        gg=P(); assert L.tensor_grad(C.byref(gg),tt)==0
        ok = ok and np.allclose(host(gg,tuple(ref.shape)),ref.grad.numpy(),atol=1e-9)
    if not ok: bad+=1; print("MISMATCH",tr,N,Ci,O,g,kh,kw,s,p,d,H,W)
# conv1d (conv2d over a unit height), batched and unbatched, forward.
I1 = C.c_int64 * 1
for shape in ((2, 4, 9), (4, 9)):
    x = torch.randn(*shape, dtype=torch.float64)
    w = torch.randn(6, 2, 3, dtype=torch.float64)
    y = F.conv1d(x, w, None, 2, 1, 2, 2)
    out = P()
    st = L.tensor_conv1d(C.byref(out), mk(x.numpy()), mk(w.numpy()), None, I1(2), I1(1), I1(2), C.c_int64(2))
    if st != 0 or not np.allclose(host(out, tuple(y.shape)), y.numpy(), atol=1e-10):
        bad += 1
        print("conv1d mismatch", shape, st)

# Shape errors: kernel larger than the padded input, channels not divisible by groups, weight of wrong rank.
SHAPE = -2  # TENSOR_ERR_SHAPE
for xs, ws, g in (((1, 2, 3, 3), (1, 2, 5, 5), 1), ((1, 4, 5, 5), (3, 2, 3, 3), 2), ((1, 4, 5, 5), (3, 4, 3), 1)):
    out = P()
    st = L.tensor_conv2d(C.byref(out), mk(np.zeros(xs)), mk(np.zeros(ws)), None, None, None, None, C.c_int64(g))
    if st != SHAPE:
        bad += 1
        print("expected TENSOR_ERR_SHAPE for", xs, ws, g, "got", st)
print("mismatches:", bad)
sys.exit(1 if bad else 0)
