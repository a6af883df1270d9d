// DELIBERATELY WRONG: an unused parameter, which `bicep lint` reports as a warning (no-unused-params).

param unused string = 'never read'
