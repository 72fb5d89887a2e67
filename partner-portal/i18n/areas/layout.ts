import { area } from "../area";

/** The layout messages: the header's menu, the table pattern and the daily chart. */
export const layoutMessages = area({
  en: {
    "layout.menu": "Menu",
    "layout.mainNav": "Main",
    "chart.caption": "{title} ({unit})",
    "chart.unit": "points",
    "chart.desc":
      "Bars per day from {from} to {to}. Points issued in all: {issued}; redeemed: {redeemed}. Issued bars are solid blue, redeemed bars orange with stripes. Every day's numbers are in the table under the chart.",
    "chart.total": "{series}: {value} in total",
    "chart.showTable": "Show as a table",
    "chart.tableLabel": "{title}, per day",
    "chart.day": "Day",
    "chart.sum": "Total",
  },
  "pt-BR": {
    "layout.menu": "Menu",
    "layout.mainNav": "Principal",
    "chart.caption": "{title} ({unit})",
    "chart.unit": "pontos",
    "chart.desc":
      "Barras por dia de {from} a {to}. Total de pontos emitidos: {issued}; resgatados: {redeemed}. As barras de emitidos são azuis e lisas; as de resgatados, laranja com listras. Os números de cada dia estão na tabela abaixo do gráfico.",
    "chart.total": "{series}: {value} no total",
    "chart.showTable": "Ver como tabela",
    "chart.tableLabel": "{title}, por dia",
    "chart.day": "Dia",
    "chart.sum": "Total",
  },
  ru: {
    "layout.menu": "Меню",
    "layout.mainNav": "Основное",
    "chart.caption": "{title} ({unit})",
    "chart.unit": "баллы",
    "chart.desc":
      "Столбцы по дням с {from} по {to}. Всего баллов начислено: {issued}, списано: {redeemed}. Начисления — сплошные синие столбцы, списания — оранжевые со штриховкой. Цифры за каждый день — в таблице под графиком.",
    "chart.total": "{series}: всего {value}",
    "chart.showTable": "Показать таблицей",
    "chart.tableLabel": "{title}, по дням",
    "chart.day": "День",
    "chart.sum": "Итого",
  },
});
