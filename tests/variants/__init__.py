"""Test-power variants: per chapter, wrong and correct implementations of each exercise."""
