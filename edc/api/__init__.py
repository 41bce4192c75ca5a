"""The read API (/api/v1/): the pages' data as JSON, through the pages' gate and selectors."""
