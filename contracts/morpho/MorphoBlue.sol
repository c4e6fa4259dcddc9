// SPDX-License-Identifier: GPL-2.0-or-later
// Compiles the real Morpho Blue from the npm package with its own pinned compiler (0.8.19).
pragma solidity 0.8.19;

import {Morpho} from "@morpho-org/morpho-blue/src/Morpho.sol";
