"""The tree hashing and proofs agree with the published RFC 6962/9162 test vectors (the eight
reference leaves used by certificate-transparency-go and transparency-dev/merkle), and every
proof of every tree shape verifies while tampered ones do not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.core import merkle

LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                      "606162636465666768696a6b6c6d6e6f"]]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index, tree size, path)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (0, 1, []),
]
CONSISTENCY = [  # (old size, new size, proof)
    (2, 8, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (8, 8, []),
]
HASHES = [merkle.leaf_hash(d) for d in LEAVES]


def range_hash(leaves, start, end):
    return merkle.fold([merkle.root_of(leaves[i << level:(i + 1) << level]) for level, i in merkle.decompose(start, end)])


def test_reference_roots_for_every_size():
    assert [merkle.root_of(HASHES[:n]).hex() for n in range(9)] == ROOTS


@pytest.mark.parametrize("index,size,path", INCLUSION)
def test_reference_inclusion_proofs(index, size, path):
    made = [range_hash(HASHES, *r).hex() for r in merkle.inclusion_ranges(index, size)]
    assert made == path
    proof = [bytes.fromhex(h) for h in path]
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(index, size, HASHES[index], proof, root)
    assert not merkle.verify_inclusion(index, size, HASHES[(index + 1) % 8], proof, root) or size == 1
    assert not merkle.verify_inclusion(index, size + 1, HASHES[index], proof, root)


@pytest.mark.parametrize("old,new,path", CONSISTENCY)
def test_reference_consistency_proofs(old, new, path):
    assert [range_hash(HASHES, *r).hex() for r in merkle.consistency_ranges(old, new)] == path
    proof = [bytes.fromhex(h) for h in path]
    old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    assert not merkle.verify_consistency(old, new, bytes.fromhex(ROOTS[old - 1]), new_root, proof)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=70), st.data())
def test_every_proof_of_every_tree_shape_verifies_and_a_flipped_byte_does_not(entries, data):
    leaves = [merkle.leaf_hash(e) for e in entries]
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(0, size))
    root = merkle.root_of(leaves)
    path = [range_hash(leaves, *r) for r in merkle.inclusion_ranges(index, size)]
    assert merkle.verify_inclusion(index, size, leaves[index], path, root)
    proof = [range_hash(leaves, *r) for r in merkle.consistency_ranges(old, size)]
    assert merkle.verify_consistency(old, size, merkle.root_of(leaves[:old]), root, proof)
    if path:
        bad = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
        assert not merkle.verify_inclusion(index, size, leaves[index], bad, root)
    if proof:
        bad = [*proof[:-1], bytes([proof[-1][0] ^ 1]) + proof[-1][1:]]
        assert not merkle.verify_consistency(old, size, merkle.root_of(leaves[:old]), root, bad)
        assert not merkle.verify_consistency(old, size, merkle.root_of(leaves[:old]), root, proof[:-1])
