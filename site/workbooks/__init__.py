"""Reading and writing Excel files safely (openpyxl only), shared by every importer/exporter."""
