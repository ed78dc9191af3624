"""Unit tests of the training kit (run: cd training && /usr/bin/python3 -m unittest discover -s tests)."""
import os
import tempfile
import unittest

import numpy as np

from pulmo_train import common as C
from pulmo_train.preprocess import bmp_to_hu, hu_to_bmp, model_input, window


class Preprocess(unittest.TestCase):
    def test_bmp_round_trip_is_exact(self):
        v = np.arange(256, dtype=np.uint8)
        self.assertTrue(np.array_equal(hu_to_bmp(bmp_to_hu(v)), v))
        got = window(bmp_to_hu(v), (-1200, 600), (0, 1), 256)
        self.assertTrue(np.array_equal(got, (v / 255).astype(np.float32)))

    def test_window_clips_and_maps(self):
        self.assertEqual(window(np.array([-5000.0, -1200, 600, 9000]), (-1200, 600)).tolist(), [0, 0, 1, 1])
        self.assertAlmostEqual(float(window(np.array([-300.0]), (-1200, 600))[0]), 0.5, places=6)

    def test_crop_centre_and_outside(self):
        vol = np.zeros((3, 8, 8))
        vol[1, 3, 4] = 1000  # k, j, i
        spec = {"layout": "NCHW", "size": [3, 3], "spacingMm": None, "windowHU": [-1024, 1000], "interpolation": "nearest"}
        x = model_input(vol, (1, 1, 1), (4.0, 3.0, 1.0), spec)
        self.assertEqual(x.shape, (1, 3, 3))
        self.assertEqual(float(x[0, 1, 1]), 1.0)
        far = model_input(vol, (1, 1, 1), (40.0, 3.0, 1.0), spec)  # outside the volume: -1024 HU
        self.assertTrue(np.all(far == 0))


class Validation(unittest.TestCase):
    def test_folds_never_split_a_patient(self):
        groups = [f"p{i // 3}" for i in range(60)]
        labels = [i % 2 for i in range(60)]
        folds = C.grouped_folds(groups, 5, 1, labels)
        self.assertEqual(sorted(np.concatenate(folds).tolist()), list(range(60)))
        owner = {}
        for f, idx in enumerate(folds):
            for i in idx:
                self.assertEqual(owner.setdefault(groups[i], f), f)

    def test_auc_matches_pair_counting(self):
        rng = np.random.default_rng(3)
        y = rng.integers(0, 2, 200)
        s = np.round(y * 0.3 + rng.random(200), 1)
        pairs = [(a, b) for a in np.nonzero(y == 1)[0] for b in np.nonzero(y == 0)[0]]
        ref = np.mean([1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0 for a, b in pairs])
        self.assertAlmostEqual(C.roc_auc(y, s), ref, places=12)

    def test_temperature_recovers_overconfidence(self):
        rng = np.random.default_rng(0)
        z = rng.normal(0, 2, 4000)
        y = (rng.random(4000) < 1 / (1 + np.exp(-z))).astype(int)
        logits = np.stack([np.zeros_like(z), 3 * z], 1)  # three times too confident
        self.assertAlmostEqual(C.fit_temperature(logits, y), 3.0, delta=0.3)

    def test_qwk(self):
        self.assertEqual(C.qwk([0, 1, 2], [0, 1, 2], 3), 1.0)
        self.assertLess(C.qwk([0, 0, 2, 2], [2, 2, 0, 0], 3), 0)


class LdfcFolders(unittest.TestCase):
    def test_missing_class_folder_and_unreadable_image_are_named(self):
        from pulmo_train.data_ldfc import list_images, read_slice
        with tempfile.TemporaryDirectory() as d:
            for c in ("0", "1"):
                os.makedirs(os.path.join(d, c))
                open(os.path.join(d, c, "0001_1.bmp"), "wb").close()
            with self.assertRaisesRegex(ValueError, r"/2: missing class folder"):
                list_images(d)
            bad = os.path.join(d, "0", "0001_1.bmp")
            with open(bad, "wb") as f:
                f.write(b"BM garbage")
            with self.assertRaisesRegex(ValueError, "0001_1.bmp: cannot be read"):
                read_slice(bad)


if __name__ == "__main__":
    unittest.main()
