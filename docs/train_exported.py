"""Train a network exported from NeuroCanvas further with plain PyTorch: in one process, or on
several GPUs with DistributedDataParallel under torchrun.

    neurocanvas-cli export mnist.json -o mnist_model.py
    python docs/train_exported.py mnist_model.py --mnist ~/mnist                     # one process
    torchrun --standalone --nproc_per_node=4 docs/train_exported.py mnist_model.py --mnist ~/mnist

--mnist is a folder with the four MNIST IDX .gz files (resources/mnist holds a small subset).
The trained weights are saved as a state_dict: Network().load_state_dict(torch.load(path,
weights_only=True)) takes them back. Needs only torch and numpy.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import struct
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(f">{dims}I", data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist(folder: str, part: str, limit: int | None) -> TensorDataset:
    x = idx(os.path.join(folder, f"{part}-images-idx3-ubyte.gz"))[:limit]
    y = idx(os.path.join(folder, f"{part}-labels-idx1-ubyte.gz"))[:limit]
    return TensorDataset(torch.tensor(x.reshape(len(x), -1) / 255.0, dtype=torch.float32),
                         torch.tensor(y, dtype=torch.int64))


def load_network(path: str) -> torch.nn.Module:
    spec = importlib.util.spec_from_file_location("exported_network", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Network()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("module", help="the .py that File ▸ Export PyTorch Module wrote")
    p.add_argument("--mnist", required=True, help="folder of the MNIST IDX .gz files")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64, help="per process")
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--limit", type=int, help="use only the first N training and test digits")
    p.add_argument("-o", "--output", default="trained.pt")
    args = p.parse_args()

    distributed = "WORLD_SIZE" in os.environ  # started by torchrun
    # NCCL wants a GPU of its own for each process: with fewer, all train on the CPU
    processes = int(os.environ.get("LOCAL_WORLD_SIZE", 1))
    cuda = torch.cuda.is_available() and torch.cuda.device_count() >= processes
    if torch.cuda.is_available() and not cuda and os.environ.get("LOCAL_RANK", "0") == "0":
        print(f"{processes} processes but {torch.cuda.device_count()} GPU(s): training on the CPU "
              f"(gloo); start at most {torch.cuda.device_count()} per machine to use the GPUs",
              file=sys.stderr, flush=True)
    if distributed:
        dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank() if distributed else 0
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if cuda else "cpu")
    model = load_network(args.module).float().to(device)
    net = (DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
           if distributed else model)

    train, test = mnist(args.mnist, "train", args.limit), mnist(args.mnist, "t10k", args.limit)
    sampler = DistributedSampler(train) if distributed else None
    loader = DataLoader(train, batch_size=args.batch_size, sampler=sampler, shuffle=sampler is None)
    optimiser = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        for x, y in loader:
            # the exported network ends in softmax: its a are the class probabilities
            probabilities = net(x.to(device))
            loss = F.nll_loss(torch.log(probabilities.clamp_min(1e-12)), y.to(device))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        if rank == 0:
            with torch.no_grad():
                answers = model(test.tensors[0].to(device)).argmax(1).cpu()
            accuracy = (answers == test.tensors[1]).float().mean().item()
            print(f"epoch {epoch + 1}: test accuracy {accuracy:.4f}", flush=True)
    if rank == 0:
        torch.save(model.state_dict(), args.output)
    if distributed:
        # every rank leaves together: a rank that tore gloo down while rank 0 still saved
        # aborted ("terminate called without an active exception"), 1 run in 8 on a busy CPU
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
