// Lung constants shared by the detector's whole-volume lung mask and the measurement's local lung region, so
// that both draw the lung boundary the same way.

/** Aerated lung is below this (HU). */
export const AIR_THRESHOLD_HU = -400;
/** Radius (mm) of the per-slice closing that brings vessels and juxtapleural nodules inside the lung region. */
export const CLOSING_RADIUS_MM = 10;
